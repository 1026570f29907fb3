package io.inboxrelay.core.ingest;

import io.inboxrelay.core.Session;
import java.time.Instant;
import java.util.Optional;

/** Looks up gateway sessions for the webhook path. */
public interface SessionRegistry {

    Optional<Session> find(String sessionId);

    /** Records that a webhook reached the session, and the reason it was rejected if it was (null when accepted). */
    void recordWebhook(Session session, Instant at, String rejection);
}
