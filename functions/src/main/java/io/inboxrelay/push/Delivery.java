package io.inboxrelay.push;

/** How one post to one connection ended, after any retries. */
public enum Delivery {
    /** Accepted by API Gateway. */
    SENT,
    /** 410: no such connection (closed, or not yet open right after {@code $connect}). */
    GONE,
    /** 429 still, after the bounded retries: the account's rate, not this socket; the record is retried later. */
    THROTTLED,
    /** 413 PayloadTooLarge: the event, not the socket, is the problem (no socket can take it). */
    TOO_LARGE,
    /** Any other 4xx (400, 403): this socket cannot take this event. */
    REFUSED,
    /** 5xx or no answer still, after the bounded retries. */
    FAILED;

    /** The socket will not get this event: close it, so its browser reconnects and resumes. */
    public boolean failsTheConnection() {
        return this == REFUSED || this == FAILED;
    }
}
