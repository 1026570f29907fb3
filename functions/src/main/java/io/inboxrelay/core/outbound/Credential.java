package io.inboxrelay.core.outbound;

import java.util.Objects;

/** A gateway API key or access token. Its {@link #toString()} never shows it, so no log line or message can. */
public final class Credential {

    private final String value;

    private Credential(String value) {
        this.value = value;
    }

    public static Credential of(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a gateway credential is required");
        }
        return new Credential(value);
    }

    /** The secret itself, for the one header that carries it. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "Credential[redacted]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Credential credential && value.equals(credential.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }
}
