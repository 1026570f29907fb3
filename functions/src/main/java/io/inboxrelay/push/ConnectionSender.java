package io.inboxrelay.push;

import io.inboxrelay.core.realtime.ServerMessages;

/** Sends to, and closes, WebSocket connections. */
public interface ConnectionSender {

    /** Never throws for a delivery problem: the outcome says what happened. */
    Delivery send(String connectionId, String body);

    /**
     * Closes the socket (DeleteConnection), so its browser reconnects and resumes from its cursor.
     * Best effort: a connection already gone is fine.
     */
    void close(String connectionId);

    /**
     * Closes a socket whose token has expired, telling it why first: API Gateway's DeleteConnection
     * closes with a plain 1000/1001 and no reason, so the {@code token_expired} error is what makes the
     * browser ask for a new token instead of reconnecting with the old one.
     */
    default void closeForExpiredToken(String connectionId) {
        send(connectionId, ServerMessages.tokenExpired());
        close(connectionId);
    }
}
