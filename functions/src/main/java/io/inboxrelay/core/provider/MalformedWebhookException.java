package io.inboxrelay.core.provider;

/** The body is JSON but not a webhook this provider sends; the message says what is wrong (answered 400). */
public class MalformedWebhookException extends RuntimeException {

    public MalformedWebhookException(String message) {
        super(message);
    }
}
