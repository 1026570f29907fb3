package io.inboxrelay.local;

/** A port the stack needs is taken; the message says which and how to choose another. */
public final class PortInUseException extends RuntimeException {

    public PortInUseException(String what, int port, String option) {
        this(what, port, option, null);
    }

    /** @param alternative another way out, e.g. "run without it: --no-simulator" (null: none) */
    public PortInUseException(String what, int port, String option, String alternative) {
        super("port " + port + " (" + what + ") is already in use - is another local stack running? Stop it, or choose another port with "
                + option + " <port>" + (alternative == null ? "" : ", or " + alternative));
    }
}
