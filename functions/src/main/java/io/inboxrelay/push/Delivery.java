package io.inboxrelay.push;

/** How one post to one connection ended, after any retries. */
public enum Delivery {
    /** Accepted by API Gateway. */
    SENT,
    /** 410: the socket is closed; the connection item is stale. */
    GONE,
    /** Still throttled or failing after the bounded retries. */
    FAILED
}
