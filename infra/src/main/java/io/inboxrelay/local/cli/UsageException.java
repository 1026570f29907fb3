package io.inboxrelay.local.cli;

/** A mistake in how the tool was called (exit 2): the message names it, {@code command} says whose help to read. */
public final class UsageException extends RuntimeException {

    private final String command;

    public UsageException(String command, String message) {
        super(message);
        this.command = command;
    }

    /** The command path ({@code "sessions add"}), or empty for the tool itself. */
    public String command() {
        return command;
    }
}
