package io.inboxrelay.core.outbound;

/**
 * A send the gateway accepted.
 *
 * @param messageId the gateway's id of the new message: what its echo webhook and receipts will carry
 * @param chat      the chat the gateway says it sent to (a JID, or Meta's {@code wa_id}), or null when it did not say
 */
public record SendResult(String messageId, String chat) {

    public SendResult {
        if (messageId == null || messageId.isBlank()) {
            throw new IllegalArgumentException("messageId is required");
        }
    }
}
