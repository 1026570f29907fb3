package io.inboxrelay.core;

import java.time.Instant;

/**
 * A delivery receipt for a message, which may arrive before the message itself.
 *
 * @param messageId      bare message id, as in {@link InboundMessage#messageId()}
 * @param conversationId the conversation when the receipt names it, else null
 * @param status         the new status
 * @param reason         why it failed, for {@link MessageStatus#FAILED}; else null
 * @param timestamp      when the gateway says it happened
 */
public record StatusUpdate(String messageId, String conversationId, MessageStatus status, String reason, Instant timestamp)
        implements GatewayEvent {
}
