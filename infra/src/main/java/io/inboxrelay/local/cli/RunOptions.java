package io.inboxrelay.local.cli;

import java.util.Set;

/** The options of {@code run}. */
public final class RunOptions {

    static final Set<String> VALUED = Set.of("http-port", "ws-port", "dynamo-port", "persist", "template",
            "idle-timeout", "max-connection", "stack-file", "simulator-port");

    /** {@code --simulator} starts the gateway simulator; {@code --simulator-auto-reply} makes its lead answer each send. */
    static final Set<String> FLAGS = Set.of("simulator", "simulator-auto-reply");

    private RunOptions() {
    }
}
