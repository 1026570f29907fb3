package io.inboxrelay.store;

import io.inboxrelay.config.Config;
import io.inboxrelay.core.Direction;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.Media;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.SessionUpdate;
import io.inboxrelay.core.StatusUpdate;
import io.inboxrelay.core.event.Cursors;
import io.inboxrelay.core.event.Envelopes;
import io.inboxrelay.core.event.Envelopes.ConversationState;
import io.inboxrelay.core.event.PushEvent;
import io.inboxrelay.core.ingest.InboxStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Stores canonical events exactly once. Each event is one {@code TransactWriteItems}: the state
 * change and the pushable event item commit together or not at all, so a retried delivery can
 * neither store twice nor count an unread message twice, and nothing is pushed that was not stored.
 */
public final class DynamoInboxStore implements InboxStore {

    /** Attempts when a concurrent writer changed the same conversation; each attempt re-reads it. */
    static final int MAX_ATTEMPTS = 15;

    private static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";
    private static final String TRANSACTION_CONFLICT = "TransactionConflict";

    private final DynamoDbClient dynamo;
    private final Config config;
    private final Clock clock;

    public DynamoInboxStore(DynamoDbClient dynamo, Config config, Clock clock) {
        this.dynamo = dynamo;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public StoreOutcome storeMessage(Session session, InboundMessage message) {
        String tenant = session.tenantId();
        Map<String, AttributeValue> conversationKey = Map.of(
                "tenantId", Attrs.s(tenant), "conversationId", Attrs.s(message.conversationId()));
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> current = dynamo.getItem(r -> r.tableName(config.conversationsTable())
                    .key(conversationKey).consistentRead(true)).item();
            ConversationState next = ConversationMath.advance(current, message);
            Instant now = clock.instant();
            String messageCursor = Cursors.next(now);
            String conversationCursor = Cursors.after(messageCursor);
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(messageWrite(session, message, now));
            writes.add(conversationWrite(conversationKey, current, next));
            if (!message.group()) {
                writes.add(contactWrite(tenant, message, now));
            }
            writes.add(EventItems.put(config.eventsTable(),
                    Envelopes.newMessage(tenant, session.sessionId(), messageCursor, message), now, config.eventTtl()));
            writes.add(EventItems.put(config.eventsTable(),
                    Envelopes.conversationUpdated(tenant, conversationCursor, next), now, config.eventTtl()));
            Outcome outcome = commit(writes);
            if (outcome != Outcome.RETRY) {
                return outcome == Outcome.COMMITTED ? StoreOutcome.STORED : StoreOutcome.DUPLICATE;
            }
            backoff(attempt);
        }
    }

    @Override
    public StoreOutcome storeStatus(Session session, StatusUpdate update) {
        String tenant = session.tenantId();
        Map<String, AttributeValue> key = Map.of(MessageItems.PK, Attrs.s(MessageItems.pk(tenant, update.messageId())));
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> current = dynamo.getItem(r -> r.tableName(config.messagesTable())
                    .key(key).consistentRead(true)
                    .projectionExpression("#rank, #conversation")
                    .expressionAttributeNames(Map.of("#rank", MessageItems.STATUS_RANK, "#conversation", MessageItems.CONVERSATION_ID)))
                    .item();
            Long currentRank = Attrs.number(current, MessageItems.STATUS_RANK);
            if (currentRank != null && currentRank >= update.status().rank()) {
                return StoreOutcome.DUPLICATE;
            }
            String conversationId = update.conversationId() != null
                    ? update.conversationId() : Attrs.string(current, MessageItems.CONVERSATION_ID);
            Instant now = clock.instant();
            Update write = new Update(config.messagesTable(), key)
                    .set("tenantId", tenant)
                    .set(MessageItems.MESSAGE_ID, update.messageId())
                    .set(MessageItems.STATUS, update.status().wireName())
                    .set(MessageItems.STATUS_RANK, update.status().rank())
                    .set(MessageItems.STATUS_AT, update.timestamp().toEpochMilli())
                    .set(MessageItems.STATUS_REASON, update.reason());
            String rank = write.name(MessageItems.STATUS_RANK);
            write.condition("attribute_not_exists(" + rank + ") OR " + rank + " < " + write.value(Attrs.n(update.status().rank())));
            PushEvent event = Envelopes.messageStatus(tenant, Cursors.next(now), update, conversationId);
            Outcome outcome = commit(List.of(write.transactItem(), EventItems.put(config.eventsTable(), event, now, config.eventTtl())));
            if (outcome != Outcome.RETRY) {
                return outcome == Outcome.COMMITTED ? StoreOutcome.STORED : StoreOutcome.DUPLICATE;
            }
            backoff(attempt);
        }
    }

    @Override
    public StoreOutcome storeSessionUpdate(Session session, SessionUpdate update) {
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            Update write = new Update(config.sessionsTable(), Map.of(SessionItems.SESSION_ID, Attrs.s(session.sessionId())))
                    .set(SessionItems.STATE, update.state().wireName())
                    .set(SessionItems.STATE_AT, update.timestamp().toEpochMilli());
            String stateAt = write.name(SessionItems.STATE_AT);
            write.condition("attribute_exists(" + write.name(SessionItems.SESSION_ID) + ") AND (attribute_not_exists(" + stateAt
                    + ") OR " + stateAt + " < " + write.value(Attrs.n(update.timestamp().toEpochMilli())) + ")");
            PushEvent event = Envelopes.sessionStatus(session.tenantId(), session.sessionId(), Cursors.next(now), update);
            Outcome outcome = commit(List.of(write.transactItem(), EventItems.put(config.eventsTable(), event, now, config.eventTtl())));
            if (outcome != Outcome.RETRY) {
                return outcome == Outcome.COMMITTED ? StoreOutcome.STORED : StoreOutcome.DUPLICATE;
            }
            backoff(attempt);
        }
    }

    private TransactWriteItem messageWrite(Session session, InboundMessage message, Instant now) {
        String tenant = session.tenantId();
        Update write = new Update(config.messagesTable(),
                Map.of(MessageItems.PK, Attrs.s(MessageItems.pk(tenant, message.messageId()))))
                .set("tenantId", tenant)
                .set(MessageItems.MESSAGE_ID, message.messageId())
                .set(MessageItems.PROVIDER_MESSAGE_ID, message.providerMessageId())
                .set(MessageItems.SESSION_ID, session.sessionId())
                .set(MessageItems.CONVERSATION_KEY, MessageItems.conversationKey(tenant, message.conversationId()))
                .set(MessageItems.CONVERSATION_ID, message.conversationId())
                .set(MessageItems.SORT_KEY, MessageItems.sortKey(message.timestamp(), message.messageId()))
                .set(MessageItems.DIRECTION, message.direction().wireName())
                .set(MessageItems.CONTACT_ID, message.contact().contactId())
                .set(MessageItems.PHONE, message.contact().phone())
                .set(MessageItems.ORIGINAL_ID, message.contact().originalId())
                .set(MessageItems.NAME, message.contact().name())
                .set(MessageItems.TEXT, message.text())
                .set(MessageItems.MEDIA, media(message.media()))
                .set(MessageItems.GROUP, Attrs.bool(message.group()))
                .set(MessageItems.TIMESTAMP, message.timestamp().toEpochMilli())
                .set(MessageItems.STORED_AT, now.toEpochMilli())
                // A receipt may have arrived first and created the item: keep its (later) status.
                .setIfAbsent(MessageItems.STATUS, Attrs.s(message.status().wireName()))
                .setIfAbsent(MessageItems.STATUS_RANK, Attrs.n(message.status().rank()));
        write.condition("attribute_not_exists(" + write.name(MessageItems.STORED_AT) + ")");
        return write.transactItem();
    }

    private TransactWriteItem conversationWrite(Map<String, AttributeValue> key, Map<String, AttributeValue> current,
                                                ConversationState next) {
        Update write = new Update(config.conversationsTable(), key)
                .set(ConversationItems.CONTACT_ID, next.contactId())
                .set(ConversationItems.NAME, next.name())
                .set(ConversationItems.PHONE, next.phone())
                .set(ConversationItems.GROUP, Attrs.bool(next.group()))
                .set(ConversationItems.UNREAD_COUNT, next.unreadCount())
                .set(ConversationItems.VERSION, next.version())
                .set(ConversationItems.LAST_MESSAGE_ID, next.lastMessageId())
                .set(ConversationItems.LAST_MESSAGE_TEXT, next.lastMessageText())
                .set(ConversationItems.LAST_MESSAGE_SENDER, next.lastMessageSender());
        if (next.lastMessageAt() != null) {
            write.set(ConversationItems.LAST_MESSAGE_AT, next.lastMessageAt().toEpochMilli())
                    .set(ConversationItems.LAST_MESSAGE_SORT, ConversationItems.lastMessageSort(next.lastMessageAt(), next.conversationId()));
        }
        String version = write.name(ConversationItems.VERSION);
        if (current == null || current.isEmpty()) {
            write.condition("attribute_not_exists(" + version + ")");
        } else {
            write.condition(version + " = " + write.value(Attrs.n(next.version() - 1)));
        }
        return write.transactItem();
    }

    private TransactWriteItem contactWrite(String tenant, InboundMessage message, Instant now) {
        Update write = new Update(config.contactsTable(),
                Map.of("tenantId", Attrs.s(tenant), "contactId", Attrs.s(message.contact().contactId())))
                .set("phone", message.contact().phone())
                .set("originalId", message.contact().originalId())
                .set("updatedAt", now.toEpochMilli());
        if (message.direction() == Direction.LEAD) {
            // On an outgoing message the push name is the agent's own, never the lead's.
            write.set("name", message.contact().name());
        }
        return write.transactItem();
    }

    private static AttributeValue media(Media media) {
        if (media == null) {
            return null;
        }
        Map<String, AttributeValue> fields = new HashMap<>(new Attrs.Item()
                .put("type", media.type())
                .put("mimeType", media.mimeType())
                .put("caption", media.caption())
                .put("url", media.url())
                .put("fileName", media.fileName())
                .put("mediaId", media.mediaId())
                .build());
        if (media.sizeBytes() != null) {
            fields.put("sizeBytes", Attrs.n(media.sizeBytes()));
        }
        return AttributeValue.fromM(fields);
    }

    private enum Outcome { COMMITTED, CONDITION_FAILED, RETRY }

    /**
     * Commits a transaction whose first item carries the idempotency condition. That condition
     * failing means the event is already held; any other failed condition or a conflict with a
     * concurrent transaction means "read again and retry".
     */
    private Outcome commit(List<TransactWriteItem> writes) {
        try {
            dynamo.transactWriteItems(r -> r.transactItems(writes).returnConsumedCapacity(ReturnConsumedCapacity.NONE));
            return Outcome.COMMITTED;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            if (!reasons.isEmpty() && CONDITIONAL_CHECK_FAILED.equals(reasons.get(0).code())) {
                return Outcome.CONDITION_FAILED;
            }
            boolean retryable = reasons.stream().anyMatch(reason ->
                    CONDITIONAL_CHECK_FAILED.equals(reason.code()) || TRANSACTION_CONFLICT.equals(reason.code()));
            if (retryable || reasons.isEmpty()) {
                return Outcome.RETRY;
            }
            throw e;
        }
    }

    private static void backoff(int attempt) {
        if (attempt >= MAX_ATTEMPTS) {
            throw new IllegalStateException("gave up after " + attempt + " attempts: the conversation kept changing under us");
        }
        long cap = Math.min(500, 5L << Math.min(attempt, 10));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a write", e);
        }
    }
}
