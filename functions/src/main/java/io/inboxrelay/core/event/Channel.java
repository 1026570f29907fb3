package io.inboxrelay.core.event;

import java.util.Locale;
import java.util.Optional;

/** What a browser can subscribe to; each pushed event belongs to exactly one channel. */
public enum Channel {
    MESSAGES,
    STATUSES,
    SESSIONS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Channel> fromWireName(String name) {
        for (Channel channel : values()) {
            if (channel.wireName().equals(name)) {
                return Optional.of(channel);
            }
        }
        return Optional.empty();
    }
}
