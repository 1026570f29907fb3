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

    /**
     * Records that an authenticated webhook reached the session (its signature or verify token was valid), and
     * why it was rejected if it was (null when accepted): the session's health.
     */
    void recordWebhook(Session session, Instant at, WebhookRejection rejection);

    /**
     * Counts a refusal that is not part of the session's health: a request that proved nothing (bad signature,
     * foreign source, not JSON, too large) or a Meta change for a number the session's app does not own.
     * Counted in memory and written at most once a minute per session and code.
     */
    void recordRefusal(Session session, Instant at, WebhookRejection refusal);
}
