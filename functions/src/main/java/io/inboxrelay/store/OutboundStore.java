package io.inboxrelay.store;

import io.inboxrelay.config.Config;
import io.inboxrelay.core.MessageStatus;
import io.inboxrelay.core.StatusUpdate;
import io.inboxrelay.core.event.Cursors;
import io.inboxrelay.core.event.Envelopes;
import io.inboxrelay.readapi.Message;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * What the send endpoint and the sender read and write beside {@link DynamoInboxStore#storeAgentMessage}: the
 * conversation a reply goes to, the stored reply, its outbox bookkeeping and its failure.
 */
public final class OutboundStore {

    /** The most lead messages one read receipt names: WhatsApp marks the earlier ones read with them. */
    public static final int MAX_READ_RECEIPT_IDS = 20;

    private final DynamoDbClient dynamo;
    private final Config config;
    private final Clock clock;

    public OutboundStore(DynamoDbClient dynamo, Config config, Clock clock) {
        this.dynamo = dynamo;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Where a reply in a conversation goes.
     *
     * @param sessionId  the session of the conversation's latest message, or null when it has none
     * @param originalId the lead's id as the gateway gave it (a JID, a {@code wa_id}), or null
     */
    public record Target(String conversationId, String contactId, String phone, String name, boolean group, String sessionId,
            String originalId) {
    }

    /** The tenant's conversation, empty when there is none. */
    public Optional<Target> target(String tenantId, String conversationId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(config.conversationsTable())
                .key(conversationKey(tenantId, conversationId)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        String sessionId = Attrs.string(item, ConversationItems.SESSION_ID);
        String phone = Attrs.string(item, ConversationItems.PHONE);
        boolean group = Attrs.bool(item, ConversationItems.GROUP, false);
        String originalId = null;
        if (sessionId == null || (phone == null && !group)) {
            // Conversations stored before they named their session, and leads known only by a JID: the newest message has both.
            Map<String, AttributeValue> newest = newestMessage(tenantId, conversationId);
            sessionId = sessionId != null ? sessionId : Attrs.string(newest, MessageItems.SESSION_ID);
            originalId = Attrs.string(newest, MessageItems.ORIGINAL_ID);
        }
        return Optional.of(new Target(conversationId, Attrs.string(item, ConversationItems.CONTACT_ID), phone,
                Attrs.string(item, ConversationItems.NAME), group, sessionId, originalId));
    }

    private Map<String, AttributeValue> newestMessage(String tenantId, String conversationId) {
        List<Map<String, AttributeValue>> items = dynamo.query(QueryRequest.builder()
                .tableName(config.messagesTable())
                .indexName(MessageItems.CONVERSATION_INDEX)
                .keyConditionExpression("#k = :k")
                .expressionAttributeNames(Map.of("#k", MessageItems.CONVERSATION_KEY))
                .expressionAttributeValues(Map.of(":k", Attrs.s(MessageItems.conversationKey(tenantId, conversationId))))
                .scanIndexForward(false)
                .limit(1)
                .build()).items();
        return items.isEmpty() ? Map.of() : items.get(0);
    }

    /**
     * An agent's reply as stored.
     *
     * @param mediaType   the stored media type (image, document, …), or null for text
     * @param statusRank  the status's rank ({@link MessageStatus#rank()})
     * @param enqueued    whether its send job reached the outbox
     * @param view        the message as the read API shows it
     */
    public record StoredReply(String messageId, String conversationId, String sessionId, String clientId, String text,
            String mediaUrl, String mediaType, String mimeType, String fileName, String replyTo, long statusRank, boolean enqueued,
            int sendAttempts, String phone, String originalId, boolean group, Message view) {

        /** Sent, delivered, read or failed: nothing is left for the sender to do. */
        public boolean settled() {
            return statusRank >= MessageStatus.SENT.rank();
        }
    }

    /** The stored message {@code out-<clientId>} (consistent read), empty when there is none. */
    public Optional<StoredReply> reply(String tenantId, String messageId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(config.messagesTable())
                .key(messageKey(tenantId, messageId)).consistentRead(true)).item();
        if (item == null || !item.containsKey(MessageItems.STORED_AT)) {
            return Optional.empty();
        }
        Map<String, AttributeValue> media = item.containsKey(MessageItems.MEDIA) && item.get(MessageItems.MEDIA).hasM()
                ? item.get(MessageItems.MEDIA).m() : Map.of();
        return Optional.of(new StoredReply(
                Attrs.string(item, MessageItems.MESSAGE_ID),
                Attrs.string(item, MessageItems.CONVERSATION_ID),
                Attrs.string(item, MessageItems.SESSION_ID),
                Attrs.string(item, MessageItems.CLIENT_ID),
                Attrs.string(item, MessageItems.TEXT),
                Attrs.string(media, "url"),
                Attrs.string(media, "type"),
                Attrs.string(media, "mimeType"),
                Attrs.string(media, "fileName"),
                Attrs.string(item, MessageItems.REPLY_TO),
                Attrs.number(item, MessageItems.STATUS_RANK, 0),
                item.containsKey(MessageItems.ENQUEUED_AT),
                (int) Attrs.number(item, MessageItems.SEND_ATTEMPTS, 0),
                Attrs.string(item, MessageItems.PHONE),
                Attrs.string(item, MessageItems.ORIGINAL_ID),
                Attrs.bool(item, MessageItems.GROUP, false),
                InboxReader.message(item)));
    }

    /** The conversation a stored message is filed under, or empty when the tenant has no such message. */
    public Optional<String> conversationOf(String tenantId, String messageId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(config.messagesTable()).key(messageKey(tenantId, messageId))
                .consistentRead(true).projectionExpression("#c, #s")
                .expressionAttributeNames(Map.of("#c", MessageItems.CONVERSATION_ID, "#s", MessageItems.STORED_AT))).item();
        return item == null || !item.containsKey(MessageItems.STORED_AT)
                ? Optional.empty() : Optional.ofNullable(Attrs.string(item, MessageItems.CONVERSATION_ID));
    }

    /** The gateway's id of a stored message (what a quote names at the gateway), or null when it has none yet. */
    public String providerMessageId(String tenantId, String messageId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(config.messagesTable()).key(messageKey(tenantId, messageId))
                .consistentRead(true).projectionExpression("#p")
                .expressionAttributeNames(Map.of("#p", MessageItems.PROVIDER_MESSAGE_ID))).item();
        return Attrs.string(item == null ? Map.of() : item, MessageItems.PROVIDER_MESSAGE_ID);
    }

    /** The send job is in the outbox: a repeated request with the same client id no longer enqueues it. */
    public void markEnqueued(String tenantId, String messageId) {
        dynamo.updateItem(new Update(config.messagesTable(), messageKey(tenantId, messageId))
                .set(MessageItems.ENQUEUED_AT, clock.instant().toEpochMilli()).request());
    }

    /** Counts a gateway call before it is made (so a crash mid-call counts too); returns the attempts so far. */
    public int countAttempt(String tenantId, String messageId) {
        Map<String, AttributeValue> after = dynamo.updateItem(new Update(config.messagesTable(), messageKey(tenantId, messageId))
                .add(MessageItems.SEND_ATTEMPTS, 1).request().toBuilder().returnValues(ReturnValue.UPDATED_NEW).build()).attributes();
        return (int) Attrs.number(after, MessageItems.SEND_ATTEMPTS, 1);
    }

    /**
     * The reply failed: status {@code failed} with the reason and its code, and a {@code message_status} event, in one
     * transaction. Only a pending reply fails: one the gateway's echo already showed sent stays sent.
     *
     * @return false when the reply was no longer pending (nothing written)
     */
    public boolean markFailed(String tenantId, String conversationId, String messageId, String code, String reason) {
        Instant now = clock.instant();
        Update write = new Update(config.messagesTable(), messageKey(tenantId, messageId))
                .set(MessageItems.STATUS, MessageStatus.FAILED.wireName())
                .set(MessageItems.STATUS_RANK, MessageStatus.FAILED.rank())
                .set(MessageItems.STATUS_AT, now.toEpochMilli())
                .set(MessageItems.STATUS_REASON, reason)
                .set(MessageItems.STATUS_CODE, code);
        String rank = write.name(MessageItems.STATUS_RANK);
        write.condition(rank + " = " + write.value(Attrs.n(MessageStatus.PENDING.rank())));
        StatusUpdate update = new StatusUpdate(messageId, conversationId, MessageStatus.FAILED, reason, now);
        try {
            dynamo.transactWriteItems(r -> r.transactItems(write.transactItem(), EventItems.put(config.eventsTable(),
                    Envelopes.messageStatus(tenantId, Cursors.next(now), update, conversationId, code), now, config.eventTtl())));
            return true;
        } catch (TransactionCanceledException e) {
            if (e.hasCancellationReasons() && !e.cancellationReasons().isEmpty()
                    && "ConditionalCheckFailed".equals(e.cancellationReasons().get(0).code())) {
                return false;
            }
            throw e;
        }
    }

    /**
     * A lead's message a read receipt names.
     *
     * @param providerMessageId the gateway's id of it
     */
    public record LeadMessage(String providerMessageId, String sessionId, String phone, String originalId, boolean group) {
    }

    /**
     * The lead's messages the conversation's unread count covers, newest first, at most {@link #MAX_READ_RECEIPT_IDS}:
     * what a mark-read tells the lead's phone. Empty when nothing is unread.
     */
    public List<LeadMessage> unreadLeadMessages(String tenantId, String conversationId) {
        Map<String, AttributeValue> conversation = dynamo.getItem(r -> r.tableName(config.conversationsTable())
                .key(conversationKey(tenantId, conversationId)).consistentRead(true)
                .projectionExpression("#u").expressionAttributeNames(Map.of("#u", ConversationItems.UNREAD_COUNT))).item();
        long unread = Math.min(MAX_READ_RECEIPT_IDS, Attrs.number(conversation == null ? Map.of() : conversation,
                ConversationItems.UNREAD_COUNT, 0));
        if (unread <= 0) {
            return List.of();
        }
        List<Map<String, AttributeValue>> items = dynamo.query(QueryRequest.builder()
                .tableName(config.messagesTable())
                .indexName(MessageItems.CONVERSATION_INDEX)
                .keyConditionExpression("#k = :k")
                .filterExpression("attribute_exists(#stored) AND #d = :lead")
                .expressionAttributeNames(Map.of("#k", MessageItems.CONVERSATION_KEY, "#stored", MessageItems.STORED_AT,
                        "#d", MessageItems.DIRECTION))
                .expressionAttributeValues(Map.of(":k", Attrs.s(MessageItems.conversationKey(tenantId, conversationId)),
                        ":lead", Attrs.s("lead")))
                .scanIndexForward(false)
                .limit(MAX_READ_RECEIPT_IDS * 2)
                .build()).items();
        List<LeadMessage> lead = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            String providerId = Attrs.string(item, MessageItems.PROVIDER_MESSAGE_ID);
            if (providerId != null && lead.size() < unread) {
                lead.add(new LeadMessage(providerId, Attrs.string(item, MessageItems.SESSION_ID), Attrs.string(item, MessageItems.PHONE),
                        Attrs.string(item, MessageItems.ORIGINAL_ID), Attrs.bool(item, MessageItems.GROUP, false)));
            }
        }
        return lead;
    }

    private static Map<String, AttributeValue> conversationKey(String tenantId, String conversationId) {
        return Map.of(ConversationItems.TENANT_ID, Attrs.s(tenantId), ConversationItems.CONVERSATION_ID, Attrs.s(conversationId));
    }

    private static Map<String, AttributeValue> messageKey(String tenantId, String messageId) {
        return Map.of(MessageItems.PK, Attrs.s(MessageItems.pk(tenantId, messageId)));
    }
}
