package io.inboxrelay.local.cli;

import java.util.Set;

/** The options of {@code run}. */
public final class RunOptions {

    static final Set<String> VALUED = Set.of("http-port", "ws-port", "dynamo-port", "persist", "template",
            "idle-timeout", "max-connection", "stack-file");

    private RunOptions() {
    }
}
