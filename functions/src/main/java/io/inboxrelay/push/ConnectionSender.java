package io.inboxrelay.push;

/** Sends to, and closes, WebSocket connections. */
public interface ConnectionSender {

    /** Never throws for a delivery problem: the outcome says what happened. */
    Delivery send(String connectionId, String body);

    /**
     * Closes the socket (DeleteConnection), so its browser reconnects and resumes from its cursor.
     * Best effort: a connection already gone is fine.
     */
    void close(String connectionId);
}
