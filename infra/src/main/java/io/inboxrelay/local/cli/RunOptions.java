package io.inboxrelay.local.cli;

import java.util.Set;

/** The options of {@code run}. */
public final class RunOptions {

    static final Set<String> VALUED = Set.of("http-port", "ws-port", "dynamo-port", "sqs-port", "persist", "template",
            "idle-timeout", "max-connection", "stack-file", "simulator-port");

    /**
     * The gateway simulator runs, its lead answering each send, unless {@code --no-simulator} /
     * {@code --no-simulator-auto-reply}; {@code --simulator} and {@code --simulator-auto-reply} (from before they were
     * the default) still say the same.
     */
    static final Set<String> FLAGS = Set.of("simulator", "simulator-auto-reply", "no-simulator", "no-simulator-auto-reply");

    private RunOptions() {
    }
}
