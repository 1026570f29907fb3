package io.inboxrelay.readapi;

import java.time.Instant;

/**
 * A conversation as the inbox list shows it.
 *
 * @param contactId     the lead ({@code lead_id} on the wire)
 * @param lastMessageAt null while the conversation has no message
 */
public record Conversation(
        String conversationId,
        String contactId,
        String name,
        String phone,
        boolean group,
        long unreadCount,
        long version,
        String lastMessageId,
        String lastMessageText,
        String lastMessageSender,
        Instant lastMessageAt) {
}
