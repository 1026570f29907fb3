package io.inboxrelay.core.realtime;

import io.inboxrelay.core.event.Channel;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Sets of channels as connections hold them and clients name them. */
public final class Channels {

    private Channels() {
    }

    public static Set<Channel> all() {
        return EnumSet.allOf(Channel.class);
    }

    /** @throws IllegalArgumentException naming the first unknown channel */
    public static Set<Channel> parseAll(Collection<String> wireNames) {
        Set<Channel> channels = EnumSet.noneOf(Channel.class);
        for (String name : wireNames) {
            channels.add(Channel.fromWireName(name).orElseThrow(() -> new IllegalArgumentException(
                    "unknown channel '" + name + "'; known: messages, statuses, sessions")));
        }
        return channels;
    }

    /** Wire names in the enum's order. */
    public static Set<String> wireNames(Collection<Channel> channels) {
        return channels.stream().sorted().map(Channel::wireName).collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
