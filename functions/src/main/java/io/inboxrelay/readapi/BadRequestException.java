package io.inboxrelay.readapi;

/** A request parameter the API cannot use; the message is shown to the caller. */
public class BadRequestException extends RuntimeException {

    public BadRequestException(String message) {
        super(message);
    }
}
