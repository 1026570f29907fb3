package io.inboxrelay.store;

import io.inboxrelay.config.Config;
import io.inboxrelay.core.Direction;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.Media;
import io.inboxrelay.core.MessageChange;
import io.inboxrelay.core.MessageStatus;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.SessionUpdate;
import io.inboxrelay.core.StatusUpdate;
import io.inboxrelay.core.event.Cursors;
import io.inboxrelay.core.event.Envelopes.ConversationState;
import io.inboxrelay.core.event.Envelopes;
import io.inboxrelay.core.event.MessageJson;
import io.inboxrelay.core.event.PushEvent;
import io.inboxrelay.core.ingest.InboxStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Stores canonical events exactly once. Each event is one {@code TransactWriteItems}: the state
 * change and the pushable event item commit together or not at all, so a retried delivery can
 * neither store twice nor count an unread message twice, and nothing is pushed that was not stored.
 * Nothing on the message path reads before it writes: counters move by {@code ADD}, so a burst into
 * one conversation is as fast as spread traffic (docs/DELIVERY.md).
 */
public final class DynamoInboxStore implements InboxStore {

    /**
     * How long a write keeps retrying transaction conflicts (two webhooks of one conversation in
     * flight at once) before it answers 503: well inside the webhook function's 10 s timeout. No
     * attempt re-reads anything, so a retry is one more request, never a lost race.
     */
    static final Duration RETRY_BUDGET = Duration.ofSeconds(6);

    private static final Logger LOG = LoggerFactory.getLogger(DynamoInboxStore.class);
    private static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";
    private static final String TRANSACTION_CONFLICT = "TransactionConflict";

    private final DynamoDbClient dynamo;
    private final Config config;
    private final Clock clock;
    private final SendReconciler replies;

    public DynamoInboxStore(DynamoDbClient dynamo, Config config, Clock clock) {
        this.dynamo = dynamo;
        this.config = config;
        this.clock = clock;
        this.replies = new SendReconciler(dynamo, config, clock);
    }

    /**
     * One transaction with no read before it: the message (its condition is the idempotency
     * check), the conversation's counters moved by {@code ADD} (so concurrent messages of one
     * conversation never invalidate each other), and the {@code new_message} event. Then, outside
     * it, the preview and the {@code conversation_updated} snapshot (see {@link #publishConversation}).
     */
    @Override
    public StoreOutcome storeMessage(Session session, InboundMessage message) {
        if (message.direction() == Direction.AGENT) {
            Optional<String> reply = replies.ownerOfEcho(session, message);
            if (reply.isPresent()) {
                return echoOf(session, reply.get(), message);
            }
        }
        return storeNew(session, message, Map.of(), null);
    }

    /**
     * An agent's reply from the send API: the same transaction as {@link #storeMessage} (message, conversation
     * counters, {@code new_message}), the message also holding what only a reply sent from here has, and the pushed
     * message its {@code client_id}. The message's own condition ({@code attribute_not_exists(storedAt)}) makes the
     * client id idempotent: a repeat answers {@link StoreOutcome#DUPLICATE} and writes nothing.
     */
    public StoreOutcome storeAgentMessage(Session session, InboundMessage message, Outgoing outgoing) {
        Map<String, AttributeValue> extra = new HashMap<>();
        extra.put(MessageItems.CLIENT_ID, Attrs.s(outgoing.clientId()));
        if (outgoing.replyTo() != null) {
            extra.put(MessageItems.REPLY_TO, Attrs.s(outgoing.replyTo()));
        }
        return storeNew(session, message, extra, outgoing.clientId());
    }

    /** The message transaction, retried on conflicts only; then the preview (see {@link #publishConversation}). */
    private StoreOutcome storeNew(Session session, InboundMessage message, Map<String, AttributeValue> extra, String clientId) {
        String tenant = session.tenantId();
        Map<String, AttributeValue> conversationKey = Map.of(
                "tenantId", Attrs.s(tenant), "conversationId", Attrs.s(message.conversationId()));
        long giveUpAt = clock.millis() + RETRY_BUDGET.toMillis();
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            Outcome outcome = commit(List.of(
                    messageWrite(session, message, now, extra),
                    conversationCounters(conversationKey, session, message),
                    EventItems.put(config.eventsTable(), Envelopes.newMessage(tenant, session.sessionId(), Cursors.next(now), message,
                            clientId), now, config.eventTtl())));
            if (outcome == Outcome.CONDITION_FAILED) {
                return StoreOutcome.DUPLICATE;
            }
            if (outcome == Outcome.COMMITTED) {
                break;
            }
            backoff(attempt, giveUpAt);
        }
        publishConversation(session, conversationKey, message);
        return StoreOutcome.STORED;
    }

    /**
     * What an agent's reply carries beyond an ordinary message.
     *
     * @param clientId the sending page's id of it
     * @param replyTo  the message id it quotes, or null
     */
    public record Outgoing(String clientId, String replyTo) {
    }

    /**
     * The gateway's echo of a reply sent from the inbox: no second message, only its status (claiming the id
     * already made it {@code sent}; an echo may report more).
     */
    private StoreOutcome echoOf(Session session, String replyId, InboundMessage echo) {
        if (echo.status() != MessageStatus.FAILED && echo.status().rank() > MessageStatus.SENT.rank()) {
            return storeStatus(session, new StatusUpdate(replyId, echo.conversationId(), echo.status(), null, echo.timestamp()));
        }
        return StoreOutcome.DUPLICATE;
    }

    /**
     * Moves the preview if this message is the newest, and records the conversation's state as a
     * {@code conversation_updated} event. Everything here is derived: the message and its count are
     * already committed, so a failure is logged and the next message (or the read API) shows the
     * truth; the webhook is still answered "stored".
     */
    private void publishConversation(Session session, Map<String, AttributeValue> key, InboundMessage message) {
        String tenant = session.tenantId();
        try {
            Update preview = new Update(config.conversationsTable(), key)
                    .set(ConversationItems.LAST_MESSAGE_ID, message.messageId())
                    .set(ConversationItems.LAST_MESSAGE_TEXT, ConversationMath.preview(message))
                    .set(ConversationItems.LAST_MESSAGE_SENDER, message.direction().wireName())
                    .set(ConversationItems.LAST_MESSAGE_AT, message.timestamp().toEpochMilli())
                    .set(ConversationItems.LAST_MESSAGE_SORT, ConversationItems.lastMessageSort(message.timestamp(), message.conversationId()))
                    .set(ConversationItems.NAME, ConversationMath.leadName(message));
            String lastAt = preview.name(ConversationItems.LAST_MESSAGE_AT);
            preview.condition("attribute_not_exists(" + lastAt + ") OR " + lastAt + " <= "
                    + preview.value(Attrs.n(message.timestamp().toEpochMilli())));
            Map<String, AttributeValue> before;
            boolean applied;
            try {
                before = dynamo.updateItem(preview.request().toBuilder().returnValues(ReturnValue.ALL_OLD).build()).attributes();
                applied = true;
            } catch (ConditionalCheckFailedException olderThanShown) {
                before = olderThanShown.item();
                applied = false;
            }
            ConversationState state = ConversationMath.after(before, message, applied);
            Instant now = clock.instant();
            PushEvent event = Envelopes.conversationUpdated(tenant, Cursors.next(now), state);
            dynamo.putItem(EventItems.putRequest(config.eventsTable(), event, now, config.eventTtl()));
            if (applied && contactChanged(before, message)) {
                dynamo.updateItem(contactWrite(tenant, message, now).request());
            }
        } catch (RuntimeException e) {
            LOG.warn("message stored, conversation preview not updated tenantId={} sessionId={} messageId={}",
                    tenant, session.sessionId(), message.messageId(), e);
        }
    }

    /** The contact item only changes when the lead's name or number does: no write for every message. */
    private static boolean contactChanged(Map<String, AttributeValue> before, InboundMessage message) {
        if (message.group() || message.direction() != Direction.LEAD) {
            return false;
        }
        Map<String, AttributeValue> item = before == null ? Map.of() : before;
        String name = message.contact().name();
        String phone = message.contact().phone();
        // The transaction set the first preview only if there was none: this message opened the conversation.
        boolean first = message.messageId().equals(Attrs.string(item, ConversationItems.LAST_MESSAGE_ID));
        return first
                || (name != null && !name.equals(Attrs.string(item, ConversationItems.NAME)))
                || (phone != null && !phone.equals(Attrs.string(item, ConversationItems.PHONE)));
    }

    /**
     * One transaction: the change's marker (its condition is the idempotency check), the target message's
     * change fields, and the {@code message_updated} event. The target may not exist yet: the update then
     * creates an item holding only the change, which the message's own write completes (it sets only what is
     * absent). The conversation is never touched: no unread count, no preview.
     */
    @Override
    public StoreOutcome storeChange(Session session, MessageChange change) {
        String tenant = session.tenantId();
        Map<String, AttributeValue> target = storedTarget(tenant, change.targetMessageId());
        String reply = Attrs.string(target, SendReconciler.ALIAS_FOR);
        if (reply != null) {
            // A reaction or edit names the gateway's id of a reply sent from the inbox: it changes that reply.
            change = change.withTarget(reply);
            target = storedTarget(tenant, reply);
        }
        Map<String, AttributeValue> targetKey = Map.of(MessageItems.PK, Attrs.s(MessageItems.pk(tenant, change.targetMessageId())));
        // The stored message's conversation wins: it may have been merged since the gateway named its chat.
        String stored = Attrs.string(target, MessageItems.CONVERSATION_ID);
        String conversationId = stored != null ? stored : change.conversationId();
        MessageChange applied = change;
        long giveUpAt = clock.millis() + RETRY_BUDGET.toMillis();
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            PushEvent event = Envelopes.messageUpdated(tenant, session.sessionId(), Cursors.next(now), applied, conversationId);
            Outcome outcome = commit(List.of(
                    changeMarker(tenant, applied, now),
                    MessageChanges.targetUpdate(config.messagesTable(), targetKey, tenant, applied).transactItem(),
                    EventItems.put(config.eventsTable(), event, now, config.eventTtl())));
            if (outcome != Outcome.RETRY) {
                return outcome == Outcome.COMMITTED ? StoreOutcome.STORED : StoreOutcome.DUPLICATE;
            }
            backoff(attempt, giveUpAt);
        }
    }

    private TransactWriteItem changeMarker(String tenant, MessageChange change, Instant now) {
        String pk = MessageItems.changePk(tenant, change.changeId());
        return TransactWriteItem.builder()
                .put(p -> p.tableName(config.messagesTable())
                        .item(new Attrs.Item()
                                .put(MessageItems.PK, pk)
                                .put("tenantId", tenant)
                                .put(MessageItems.CHANGE_OF, change.targetMessageId())
                                .put(MessageItems.APPLIED_AT, now.toEpochMilli())
                                .build())
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", MessageItems.PK)))
                .build();
    }

    private Map<String, AttributeValue> storedTarget(String tenant, String messageId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(config.messagesTable())
                .key(Map.of(MessageItems.PK, Attrs.s(MessageItems.pk(tenant, messageId))))
                .consistentRead(true).projectionExpression("#c, #a")
                .expressionAttributeNames(Map.of("#c", MessageItems.CONVERSATION_ID, "#a", SendReconciler.ALIAS_FOR))).item();
        return item == null ? Map.of() : item;
    }

    @Override
    public StoreOutcome storeStatus(Session session, StatusUpdate received) {
        String tenant = session.tenantId();
        StatusUpdate update = received;
        long giveUpAt = clock.millis() + RETRY_BUDGET.toMillis();
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> key = Map.of(MessageItems.PK, Attrs.s(MessageItems.pk(tenant, update.messageId())));
            Map<String, AttributeValue> current = dynamo.getItem(r -> r.tableName(config.messagesTable())
                    .key(key).consistentRead(true)
                    .projectionExpression("#rank, #conversation, #alias")
                    .expressionAttributeNames(Map.of("#rank", MessageItems.STATUS_RANK, "#conversation", MessageItems.CONVERSATION_ID,
                            "#alias", SendReconciler.ALIAS_FOR)))
                    .item();
            String reply = Attrs.string(current, SendReconciler.ALIAS_FOR);
            if (reply != null && update == received) {
                // A receipt of a reply sent from the inbox names the gateway's id: it is the reply's.
                update = new StatusUpdate(reply, update.conversationId(), update.status(), update.reason(), update.timestamp());
                continue;
            }
            Long currentRank = Attrs.number(current, MessageItems.STATUS_RANK);
            if (currentRank != null && currentRank >= update.status().rank()) {
                return StoreOutcome.DUPLICATE;
            }
            // Where the message is filed now (a merge may have moved it) beats what the receipt names.
            String filed = Attrs.string(current, MessageItems.CONVERSATION_ID);
            String conversationId = filed != null ? filed : update.conversationId();
            Instant now = clock.instant();
            Update write = new Update(config.messagesTable(), key)
                    .set("tenantId", tenant)
                    .set(MessageItems.MESSAGE_ID, update.messageId())
                    .set(MessageItems.STATUS, update.status().wireName())
                    .set(MessageItems.STATUS_RANK, update.status().rank())
                    .set(MessageItems.STATUS_AT, update.timestamp().toEpochMilli())
                    .set(MessageItems.STATUS_REASON, update.reason());
            String rank = write.name(MessageItems.STATUS_RANK);
            // Not on an alias item: a claim that landed since the read makes this the reply's receipt (read again).
            write.condition("attribute_not_exists(" + write.name(SendReconciler.ALIAS_FOR) + ") AND (attribute_not_exists(" + rank
                    + ") OR " + rank + " < " + write.value(Attrs.n(update.status().rank())) + ")");
            PushEvent event = Envelopes.messageStatus(tenant, Cursors.next(now), update, conversationId);
            Outcome outcome = commit(List.of(write.transactItem(), EventItems.put(config.eventsTable(), event, now, config.eventTtl())));
            if (outcome == Outcome.COMMITTED) {
                return StoreOutcome.STORED;
            }
            if (outcome == Outcome.RETRY) {
                backoff(attempt, giveUpAt);
            }
            // CONDITION_FAILED: overtaken (a later status, or a claim) — the next read says which.
        }
    }

    @Override
    public StoreOutcome storeSessionUpdate(Session session, SessionUpdate update) {
        long giveUpAt = clock.millis() + RETRY_BUDGET.toMillis();
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
            backoff(attempt, giveUpAt);
        }
    }

    /** @param outgoing attributes only an agent's reply sent from here has ({@link #storeAgentMessage}) */
    private TransactWriteItem messageWrite(Session session, InboundMessage message, Instant now, Map<String, AttributeValue> outgoing) {
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
                .set(MessageItems.KIND, message.kind().wireName())
                .set(MessageItems.MEDIA, media(message.media()))
                .set(MessageItems.DETAILS, JsonAttributes.map(MessageJson.details(message.details())))
                .set(MessageItems.GROUP, Attrs.bool(message.group()))
                .set(MessageItems.TIMESTAMP, message.timestamp().toEpochMilli())
                .set(MessageItems.STORED_AT, now.toEpochMilli())
                // A receipt may have arrived first and created the item: keep its (later) status.
                .setIfAbsent(MessageItems.STATUS, Attrs.s(message.status().wireName()))
                .setIfAbsent(MessageItems.STATUS_RANK, Attrs.n(message.status().rank()));
        outgoing.forEach(write::set);
        if (message.text() != null) {
            // An edit may have arrived first: its text is the newer one.
            write.setIfAbsent(MessageItems.TEXT, Attrs.s(message.text()));
        }
        // An alias item is a reply's gateway id, never a message of its own (SendReconciler).
        write.condition("attribute_not_exists(" + write.name(MessageItems.STORED_AT) + ") AND attribute_not_exists("
                + write.name(SendReconciler.ALIAS_FOR) + ")");
        return write.transactItem();
    }

    /**
     * The conversation's part of the message transaction: counters by {@code ADD}, identity fields,
     * and the first preview only if it has none (the newest-wins preview is moved after commit).
     * No condition: it never depends on what another message did.
     */
    private TransactWriteItem conversationCounters(Map<String, AttributeValue> key, Session session, InboundMessage message) {
        Update write = new Update(config.conversationsTable(), key)
                // Where a reply goes out: the session the conversation's latest message came through.
                .set(ConversationItems.SESSION_ID, session.sessionId())
                .set(ConversationItems.CONTACT_ID, ConversationMath.contactId(message))
                .set(ConversationItems.GROUP, Attrs.bool(message.group()))
                .add(ConversationItems.UNREAD_COUNT, ConversationMath.unreadIncrement(message))
                .add(ConversationItems.VERSION, 1)
                .add(ConversationItems.MESSAGE_COUNT, 1);
        if (!message.group() && message.contact().phone() != null) {
            write.set(ConversationItems.PHONE, message.contact().phone());
        }
        if (ConversationMath.leadName(message) != null) {
            write.setIfAbsent(ConversationItems.NAME, Attrs.s(ConversationMath.leadName(message)));
        }
        // A conversation is listed (recent-index) from its first message on, even if the update after commit never runs.
        write.setIfAbsent(ConversationItems.LAST_MESSAGE_ID, Attrs.s(message.messageId()))
                .setIfAbsent(ConversationItems.LAST_MESSAGE_AT, Attrs.n(message.timestamp().toEpochMilli()))
                .setIfAbsent(ConversationItems.LAST_MESSAGE_SORT,
                        Attrs.s(ConversationItems.lastMessageSort(message.timestamp(), message.conversationId())))
                .setIfAbsent(ConversationItems.LAST_MESSAGE_SENDER, Attrs.s(message.direction().wireName()));
        String preview = ConversationMath.preview(message);
        if (preview != null) {
            write.setIfAbsent(ConversationItems.LAST_MESSAGE_TEXT, Attrs.s(preview));
        }
        return write.transactItem();
    }

    private Update contactWrite(String tenant, InboundMessage message, Instant now) {
        Update write = new Update(config.contactsTable(),
                Map.of("tenantId", Attrs.s(tenant), "contactId", Attrs.s(message.contact().contactId())))
                .set("phone", message.contact().phone())
                .set("originalId", message.contact().originalId())
                .set("updatedAt", now.toEpochMilli());
        if (message.direction() == Direction.LEAD) {
            // On an outgoing message the push name is the agent's own, never the lead's.
            write.set("name", message.contact().name());
        }
        return write;
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
        fields.put("available", Attrs.bool(media.available()));
        if (media.voice()) {
            fields.put("voice", Attrs.bool(true));
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

    private void backoff(int attempt, long giveUpAt) {
        long cap = Math.min(200, 5L << Math.min(attempt, 10));
        long pause = ThreadLocalRandom.current().nextLong(cap + 1);
        if (clock.millis() + pause >= giveUpAt) {
            throw new IllegalStateException("gave up after " + attempt + " attempts in " + RETRY_BUDGET.toSeconds()
                    + " s: DynamoDB kept cancelling the transaction");
        }
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a write", e);
        }
    }
}
