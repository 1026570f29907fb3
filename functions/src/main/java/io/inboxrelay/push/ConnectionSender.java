package io.inboxrelay.push;

/** Sends one message to one WebSocket connection. */
public interface ConnectionSender {

    /** Never throws for a delivery problem: the outcome says what happened. */
    Delivery send(String connectionId, String body);
}
