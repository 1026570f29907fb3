package io.inboxrelay.core;

import java.util.Locale;

/**
 * Delivery status of a message. Status only moves forward (by {@link #rank()}): a late "sent"
 * never overwrites "read". {@link #FAILED} is terminal and keeps its reason.
 */
public enum MessageStatus {
    PENDING(0),
    SENT(1),
    DELIVERED(2),
    READ(3),
    PLAYED(4),
    FAILED(9);

    private final int rank;

    MessageStatus(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when a message at {@code current} should move to this status. */
    public boolean advances(MessageStatus current) {
        return current == null || rank > current.rank;
    }

    public static MessageStatus fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
