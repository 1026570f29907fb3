package io.inboxrelay.local.cli;

/** The command was called right but could not do its work (exit 1): DynamoDB unreachable, no such session. */
public final class CommandFailure extends RuntimeException {

    public CommandFailure(String message) {
        super(message);
    }

    public CommandFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
