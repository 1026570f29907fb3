package io.inboxrelay.core.ingest;

import io.inboxrelay.core.Session;
import io.inboxrelay.core.WebhookRejection;
import java.time.Instant;
import java.util.Optional;

/** Looks up gateway sessions for the webhook path. */
public interface SessionRegistry {

    Optional<Session> find(String sessionId);

    /** The session as stored now, bypassing any cache: asked again before a rejection is final. */
    default Optional<Session> findFresh(String sessionId) {
        return find(sessionId);
    }

    /** Records that a webhook reached the session, and why it was rejected if it was (null when accepted). */
    void recordWebhook(Session session, Instant at, WebhookRejection rejection);
}
