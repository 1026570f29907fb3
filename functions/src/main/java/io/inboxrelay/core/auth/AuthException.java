package io.inboxrelay.core.auth;

/** A refused token; the message is safe to show the client and never contains the token. */
public class AuthException extends RuntimeException {

    public AuthException(String message) {
        super(message);
    }
}
