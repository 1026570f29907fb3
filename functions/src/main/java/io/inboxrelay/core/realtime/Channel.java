package io.inboxrelay.core.realtime;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** What a connection can subscribe to; every event belongs to exactly one channel. */
public enum Channel {
    MESSAGES,
    STATUSES,
    SESSIONS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Channel> of(String wireName) {
        if (wireName == null) {
            return Optional.empty();
        }
        for (Channel channel : values()) {
            if (channel.wireName().equals(wireName)) {
                return Optional.of(channel);
            }
        }
        return Optional.empty();
    }

    public static Set<Channel> all() {
        return EnumSet.allOf(Channel.class);
    }

    /** @throws IllegalArgumentException naming the first unknown channel */
    public static Set<Channel> parseAll(Collection<String> wireNames) {
        Set<Channel> channels = EnumSet.noneOf(Channel.class);
        for (String name : wireNames) {
            channels.add(of(name).orElseThrow(() -> new IllegalArgumentException(
                    "unknown channel '" + name + "'; known: messages, statuses, sessions")));
        }
        return channels;
    }

    public static Set<String> wireNames(Collection<Channel> channels) {
        return channels.stream().sorted().map(Channel::wireName)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }
}
