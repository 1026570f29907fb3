package io.inboxrelay.store;

import io.inboxrelay.config.Config;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.event.Cursors;
import io.inboxrelay.core.event.Envelopes;
import io.inboxrelay.core.event.Envelopes.ConversationState;
import io.inboxrelay.core.identity.AliasStore;
import io.inboxrelay.core.phone.PhoneNumbers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The alias table (attributes on the opaque id's item in {@code ContactsTable}) and the merge of an
 * opaque conversation into the phone's (docs/MESSAGE-KINDS.md, "Identity").
 *
 * <p>The merge is exact without locks: every message adds 1 to its conversation's
 * {@code messageCount} in its own transaction, and every move takes 1 from the old conversation in the
 * move's transaction. The old conversation is deleted only when its count is 0 and its {@code version}
 * is the one just read, so a message committed meanwhile (or still missing from the eventually
 * consistent {@code conversation-index}) is never left behind: the merge waits for it or runs again.
 */
public final class DynamoAliasStore implements AliasStore {

    static final String ALIAS_OF = "aliasOf";
    static final String ALIAS_AT = "aliasAt";
    static final String MERGED_AT = "mergedAt";
    /** A merge runs inside a webhook request: it stops in time for the answer and resumes on the next pair. */
    static final Duration MERGE_BUDGET = Duration.ofSeconds(4);

    private static final Logger LOG = LoggerFactory.getLogger(DynamoAliasStore.class);

    private final DynamoDbClient dynamo;
    private final Config config;
    private final Clock clock;

    public DynamoAliasStore(DynamoDbClient dynamo, Config config, Clock clock) {
        this.dynamo = dynamo;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public Optional<String> canonicalOf(String tenantId, String aliasId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(config.contactsTable())
                .key(contactKey(tenantId, aliasId)).consistentRead(true)
                .projectionExpression("#alias").expressionAttributeNames(Map.of("#alias", ALIAS_OF))).item();
        return Optional.ofNullable(Attrs.string(item, ALIAS_OF));
    }

    @Override
    public Learned learn(String tenantId, String aliasId, String canonicalId) {
        Update write = new Update(config.contactsTable(), contactKey(tenantId, aliasId))
                .set(ALIAS_OF, canonicalId)
                .setIfAbsent(ALIAS_AT, Attrs.n(clock.millis()));
        String alias = write.name(ALIAS_OF);
        write.condition("attribute_not_exists(" + alias + ") OR " + alias + " = " + write.value(Attrs.s(canonicalId)));
        try {
            Map<String, AttributeValue> before = dynamo.updateItem(write.request().toBuilder()
                    .returnValues(ReturnValue.ALL_OLD).build()).attributes();
            return new Learned(canonicalId, before != null && before.containsKey(MERGED_AT));
        } catch (ConditionalCheckFailedException other) {
            Optional<String> kept = canonicalOf(tenantId, aliasId);
            return new Learned(kept.orElse(canonicalId), true);
        }
    }

    @Override
    public String storedConversationOf(String tenantId, String messageId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(config.messagesTable())
                .key(Map.of(MessageItems.PK, Attrs.s(MessageItems.pk(tenantId, messageId)))).consistentRead(true)
                .projectionExpression("#c").expressionAttributeNames(Map.of("#c", MessageItems.CONVERSATION_ID))).item();
        return Attrs.string(item, MessageItems.CONVERSATION_ID);
    }

    @Override
    public boolean merge(Session session, String from, String into) {
        String tenant = session.tenantId();
        long giveUpAt = clock.millis() + MERGE_BUDGET.toMillis();
        for (int round = 1; clock.millis() < giveUpAt; round++) {
            int moved = moveMessages(tenant, from, into, giveUpAt);
            Map<String, AttributeValue> old = conversation(tenant, from);
            if (old.isEmpty()) {
                markMerged(tenant, from);
                return true;
            }
            Long left = Attrs.number(old, ConversationItems.MESSAGE_COUNT);
            boolean settled = left == null ? moved == 0 : left <= 0;
            if (settled && finish(session, old, from, into)) {
                markMerged(tenant, from);
                LOG.info("conversations merged tenantId={} from={} into={}", tenant, from, into);
                return true;
            }
            pause(round); // the index has not shown every message yet, or a message arrived meanwhile
        }
        LOG.warn("conversation merge unfinished in time, resumes with the next paired message tenantId={} from={} into={}",
                tenant, from, into);
        return false;
    }

    /** Moves the messages the index shows under {@code from}; returns how many moved. */
    private int moveMessages(String tenant, String from, String into, long giveUpAt) {
        int moved = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> page = start;
            QueryResponse response = dynamo.query(r -> r.tableName(config.messagesTable())
                    .indexName(MessageItems.CONVERSATION_INDEX)
                    .keyConditionExpression("#k = :k")
                    .expressionAttributeNames(Map.of("#k", MessageItems.CONVERSATION_KEY))
                    .expressionAttributeValues(Map.of(":k", Attrs.s(MessageItems.conversationKey(tenant, from))))
                    .projectionExpression(MessageItems.PK)
                    .exclusiveStartKey(page));
            for (Map<String, AttributeValue> item : response.items()) {
                if (clock.millis() >= giveUpAt) {
                    return moved;
                }
                moved += moveMessage(tenant, item.get(MessageItems.PK), from, into) ? 1 : 0;
            }
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
        return moved;
    }

    private boolean moveMessage(String tenant, AttributeValue pk, String from, String into) {
        Update message = new Update(config.messagesTable(), Map.of(MessageItems.PK, pk))
                .set(MessageItems.CONVERSATION_KEY, MessageItems.conversationKey(tenant, into))
                .set(MessageItems.CONVERSATION_ID, into)
                .set(MessageItems.CONTACT_ID, into)
                .set(MessageItems.PHONE, PhoneNumbers.e164(into));
        message.condition(message.name(MessageItems.CONVERSATION_ID) + " = " + message.value(Attrs.s(from)));
        Update left = new Update(config.conversationsTable(), conversationKey(tenant, from))
                .add(ConversationItems.MESSAGE_COUNT, -1);
        Update arrived = new Update(config.conversationsTable(), conversationKey(tenant, into))
                .add(ConversationItems.MESSAGE_COUNT, 1);
        try {
            dynamo.transactWriteItems(r -> r.transactItems(message.transactItem(), left.transactItem(), arrived.transactItem()));
            return true;
        } catch (TransactionCanceledException alreadyMovedOrBusy) {
            return false; // moved by a concurrent merge, or a conflict: the next round sees it again
        }
    }

    /**
     * Deletes the old conversation (only as it was just read) and adds its counters and identity
     * into the new one, with the {@code conversation_merged} event, in one transaction; then moves
     * the preview if the old one is newer and records the new conversation's state.
     */
    private boolean finish(Session session, Map<String, AttributeValue> old, String from, String into) {
        String tenant = session.tenantId();
        Instant now = clock.instant();
        AttributeValue readVersion = old.get(ConversationItems.VERSION);
        TransactWriteItem deleteOld = TransactWriteItem.builder().delete(d -> d
                .tableName(config.conversationsTable()).key(conversationKey(tenant, from))
                .conditionExpression(readVersion == null ? "attribute_not_exists(#version)" : "#version = :version")
                .expressionAttributeNames(Map.of("#version", ConversationItems.VERSION))
                .expressionAttributeValues(readVersion == null ? null : Map.of(":version", readVersion))).build();
        Update target = new Update(config.conversationsTable(), conversationKey(tenant, into))
                .set(ConversationItems.CONTACT_ID, into)
                .set(ConversationItems.GROUP, Attrs.bool(false))
                .add(ConversationItems.UNREAD_COUNT, Attrs.number(old, ConversationItems.UNREAD_COUNT, 0))
                .add(ConversationItems.VERSION, 1);
        String phone = PhoneNumbers.e164(into);
        if (phone != null) {
            target.setIfAbsent(ConversationItems.PHONE, Attrs.s(phone));
        }
        String name = Attrs.string(old, ConversationItems.NAME);
        if (name != null) {
            target.setIfAbsent(ConversationItems.NAME, Attrs.s(name));
        }
        try {
            dynamo.transactWriteItems(r -> r.transactItems(
                    deleteOld,
                    target.transactItem(),
                    EventItems.put(config.eventsTable(), Envelopes.conversationMerged(tenant, Cursors.next(now), from, into),
                            now, config.eventTtl())));
        } catch (TransactionCanceledException changedMeanwhile) {
            return false;
        }
        publish(tenant, old, into);
        return true;
    }

    /** The old preview wins if it is newer; then the merged conversation's state is pushed. */
    private void publish(String tenant, Map<String, AttributeValue> old, String into) {
        try {
            Long oldAt = Attrs.number(old, ConversationItems.LAST_MESSAGE_AT);
            if (oldAt != null) {
                Update preview = new Update(config.conversationsTable(), conversationKey(tenant, into))
                        .set(ConversationItems.LAST_MESSAGE_ID, old.get(ConversationItems.LAST_MESSAGE_ID))
                        .set(ConversationItems.LAST_MESSAGE_TEXT, old.get(ConversationItems.LAST_MESSAGE_TEXT))
                        .set(ConversationItems.LAST_MESSAGE_SENDER, old.get(ConversationItems.LAST_MESSAGE_SENDER))
                        .set(ConversationItems.LAST_MESSAGE_AT, oldAt)
                        .set(ConversationItems.LAST_MESSAGE_SORT,
                                ConversationItems.lastMessageSort(Instant.ofEpochMilli(oldAt), into));
                String lastAt = preview.name(ConversationItems.LAST_MESSAGE_AT);
                preview.condition("attribute_not_exists(" + lastAt + ") OR " + lastAt + " < " + preview.value(Attrs.n(oldAt)));
                try {
                    dynamo.updateItem(preview.request());
                } catch (ConditionalCheckFailedException newerShown) {
                    // the phone conversation already shows a newer message
                }
            }
            Map<String, AttributeValue> merged = conversation(tenant, into);
            ConversationState state = InboxReader.conversation(merged);
            Instant now = clock.instant();
            dynamo.putItem(EventItems.putRequest(config.eventsTable(), Envelopes.conversationUpdated(tenant, Cursors.next(now), state),
                    now, config.eventTtl()));
        } catch (RuntimeException e) {
            LOG.warn("conversations merged, preview not refreshed tenantId={} into={}", tenant, into, e);
        }
    }

    private void markMerged(String tenant, String from) {
        dynamo.updateItem(new Update(config.contactsTable(), contactKey(tenant, from))
                .set(MERGED_AT, clock.millis()).request());
    }

    private Map<String, AttributeValue> conversation(String tenant, String conversationId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(config.conversationsTable())
                .key(conversationKey(tenant, conversationId)).consistentRead(true)).item();
        return item == null ? Map.of() : item;
    }

    private void pause(int round) {
        try {
            Thread.sleep(Math.min(500, 50L * round));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while merging conversations", e);
        }
    }

    private static Map<String, AttributeValue> contactKey(String tenant, String contactId) {
        return Map.of("tenantId", Attrs.s(tenant), "contactId", Attrs.s(contactId));
    }

    private static Map<String, AttributeValue> conversationKey(String tenant, String conversationId) {
        return Map.of(ConversationItems.TENANT_ID, Attrs.s(tenant), ConversationItems.CONVERSATION_ID, Attrs.s(conversationId));
    }
}
