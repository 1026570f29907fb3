package io.inboxrelay.secrets;

/** An envelope that cannot be opened: damaged, sealed with another key, or for another context. */
public final class SealedSecretException extends RuntimeException {

    public SealedSecretException(String message) {
        super(message);
    }

    public SealedSecretException(String message, Throwable cause) {
        super(message, cause);
    }
}
