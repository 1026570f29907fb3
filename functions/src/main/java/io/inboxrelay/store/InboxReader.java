package io.inboxrelay.store;

import io.inboxrelay.config.Config;
import io.inboxrelay.core.MessageKind;
import io.inboxrelay.core.event.Cursors;
import io.inboxrelay.core.event.Envelopes;
import io.inboxrelay.core.event.Envelopes.ConversationState;
import io.inboxrelay.readapi.Message;
import io.inboxrelay.readapi.Page;
import io.inboxrelay.readapi.PageCursor;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/** What the inbox page reads (conversations, messages) and its one write, mark-read. Every call is scoped to a tenant. */
public class InboxReader {

    private static final Logger LOG = LoggerFactory.getLogger(InboxReader.class);

    private static final int MARK_READ_ATTEMPTS = 5;

    private static final String TENANT_ID = ConversationItems.TENANT_ID;
    private static final String CONVERSATION_ID = ConversationItems.CONVERSATION_ID;
    private static final String LAST_MESSAGE_SORT = ConversationItems.LAST_MESSAGE_SORT;
    private static final String UNREAD_COUNT = ConversationItems.UNREAD_COUNT;
    private static final String VERSION = ConversationItems.VERSION;
    private static final String PK = MessageItems.PK;
    private static final String MESSAGE_ID = MessageItems.MESSAGE_ID;
    private static final String CONVERSATION_KEY = MessageItems.CONVERSATION_KEY;
    private static final String SORT_KEY = MessageItems.SORT_KEY;

    private final DynamoDbClient dynamo;
    private final Config config;
    private final Clock clock;

    public InboxReader(DynamoDbClient dynamo, Config config, Clock clock) {
        this.dynamo = dynamo;
        this.config = config;
        this.clock = clock;
    }

    /** The tenant's conversations, the one with the latest message first. */
    public Page<ConversationState> conversations(String tenantId, int limit, String cursor) {
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(config.conversationsTable())
                .indexName(ConversationItems.RECENT_INDEX)
                .keyConditionExpression("#t = :t")
                .expressionAttributeNames(Map.of("#t", TENANT_ID))
                .expressionAttributeValues(Map.of(":t", s(tenantId)))
                .scanIndexForward(false)
                .limit(limit);
        if (cursor != null) {
            Map<String, String> position = PageCursor.decode(cursor, LAST_MESSAGE_SORT, CONVERSATION_ID);
            query.exclusiveStartKey(Map.of(
                    TENANT_ID, s(tenantId),
                    LAST_MESSAGE_SORT, s(position.get(LAST_MESSAGE_SORT)),
                    CONVERSATION_ID, s(position.get(CONVERSATION_ID))));
        }
        QueryResponse response = dynamo.query(query.build());
        List<ConversationState> items = response.items().stream().map(InboxReader::conversation).toList();
        return new Page<>(items, nextCursor(response, LAST_MESSAGE_SORT, CONVERSATION_ID));
    }

    public Optional<ConversationState> conversation(String tenantId, String conversationId) {
        return Optional.ofNullable(conversationItem(tenantId, conversationId)).map(InboxReader::conversation);
    }

    /**
     * A conversation's messages, newest first.
     *
     * @param before a cursor from a previous page, or null for the newest page
     */
    public Page<Message> messages(String tenantId, String conversationId, int limit, String before) {
        String conversationKey = MessageItems.conversationKey(tenantId, conversationId);
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(config.messagesTable())
                .indexName(MessageItems.CONVERSATION_INDEX)
                .keyConditionExpression("#k = :k")
                // A receipt that overtook its message leaves a placeholder item; it is not a message yet.
                .filterExpression("attribute_exists(#stored)")
                .expressionAttributeNames(Map.of("#k", CONVERSATION_KEY, "#stored", MessageItems.STORED_AT))
                .expressionAttributeValues(Map.of(":k", s(conversationKey)))
                .scanIndexForward(false)
                .limit(limit);
        if (before != null) {
            Map<String, String> position = PageCursor.decode(before, SORT_KEY, MESSAGE_ID);
            query.exclusiveStartKey(Map.of(
                    CONVERSATION_KEY, s(conversationKey),
                    SORT_KEY, s(position.get(SORT_KEY)),
                    PK, s(MessageItems.pk(tenantId, position.get(MESSAGE_ID)))));
        }
        QueryResponse response = dynamo.query(query.build());
        List<Message> items = response.items().stream().map(InboxReader::message).toList();
        String next = null;
        if (response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()) {
            Map<String, AttributeValue> last = response.lastEvaluatedKey();
            String pk = last.get(PK).s();
            next = PageCursor.encode(Map.of(SORT_KEY, last.get(SORT_KEY).s(), MESSAGE_ID, pk.substring(tenantId.length() + 1)));
        }
        return new Page<>(items, next);
    }

    /**
     * Sets the unread count to zero and records a {@code conversation_updated} event in the same
     * transaction, so every other open browser of the tenant clears its badge too.
     *
     * @return the conversation after the change, empty when the tenant has no such conversation
     */
    public Optional<ConversationState> markRead(String tenantId, String conversationId) {
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> item = conversationItem(tenantId, conversationId);
            if (item == null) {
                return Optional.empty();
            }
            ConversationState current = conversation(item);
            if (current.unreadCount() == 0) {
                return Optional.of(current);
            }
            try {
                return Optional.of(writeRead(tenantId, item, current));
            } catch (TransactionCanceledException e) {
                // A message arrived between the read and the write; read again and retry.
                if (attempt >= MARK_READ_ATTEMPTS) {
                    throw e;
                }
                LOG.info("mark-read raced a concurrent change, retrying: tenantId={} attempt={}", tenantId, attempt);
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(5_000_000L * attempt, 20_000_000L * attempt));
            }
        }
    }

    private ConversationState writeRead(String tenantId, Map<String, AttributeValue> item, ConversationState current) {
        Instant now = clock.instant();
        ConversationState read = new ConversationState(current.conversationId(), current.contactId(), current.name(), current.phone(),
                current.group(), 0, current.version() + 1, current.lastMessageId(), current.lastMessageText(),
                current.lastMessageSender(), current.lastMessageAt());

        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":zero", n(0));
        values.put(":next", n(read.version()));
        String condition;
        if (item.containsKey(VERSION)) {
            values.put(":expected", item.get(VERSION));
            condition = "#v = :expected";
        } else {
            condition = "attribute_not_exists(#v)";
        }
        Update update = Update.builder()
                .tableName(config.conversationsTable())
                .key(Map.of(TENANT_ID, s(tenantId), CONVERSATION_ID, s(current.conversationId())))
                .updateExpression("SET #u = :zero, #v = :next")
                .conditionExpression(condition)
                .expressionAttributeNames(Map.of("#u", UNREAD_COUNT, "#v", VERSION))
                .expressionAttributeValues(values)
                .build();

        dynamo.transactWriteItems(request -> request.transactItems(
                TransactWriteItem.builder().update(update).build(),
                EventItems.put(config.eventsTable(), Envelopes.conversationUpdated(tenantId, Cursors.next(now), read), now, config.eventTtl())));
        return read;
    }

    private Map<String, AttributeValue> conversationItem(String tenantId, String conversationId) {
        Map<String, AttributeValue> item = dynamo.getItem(request -> request
                .tableName(config.conversationsTable())
                .key(Map.of(TENANT_ID, s(tenantId), CONVERSATION_ID, s(conversationId)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private static String nextCursor(QueryResponse response, String... fields) {
        if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
            return null;
        }
        Map<String, String> position = new LinkedHashMap<>();
        for (String field : fields) {
            position.put(field, response.lastEvaluatedKey().get(field).s());
        }
        return PageCursor.encode(position);
    }

    static ConversationState conversation(Map<String, AttributeValue> item) {
        return new ConversationState(
                string(item, CONVERSATION_ID),
                string(item, ConversationItems.CONTACT_ID),
                string(item, ConversationItems.NAME),
                string(item, ConversationItems.PHONE),
                item.containsKey(ConversationItems.GROUP) && Boolean.TRUE.equals(item.get(ConversationItems.GROUP).bool()),
                number(item, UNREAD_COUNT),
                number(item, VERSION),
                string(item, ConversationItems.LAST_MESSAGE_ID),
                string(item, ConversationItems.LAST_MESSAGE_TEXT),
                string(item, ConversationItems.LAST_MESSAGE_SENDER),
                instant(item.get(ConversationItems.LAST_MESSAGE_AT)));
    }

    static Message message(Map<String, AttributeValue> item) {
        AttributeValue media = item.get(MessageItems.MEDIA);
        AttributeValue details = item.get(MessageItems.DETAILS);
        MessageKind kind = MessageKind.fromWireName(string(item, MessageItems.KIND),
                media != null && media.hasM() ? MessageKind.ofMediaType(string(media.m(), "type"), false) : MessageKind.TEXT);
        Map<String, String> reactions = new LinkedHashMap<>();
        putIfPresent(reactions, "lead", string(item, MessageItems.REACTION_LEAD));
        putIfPresent(reactions, "agent", string(item, MessageItems.REACTION_AGENT));
        return new Message(
                string(item, MESSAGE_ID),
                kind.content(string(item, MessageItems.TEXT)),
                string(item, MessageItems.DIRECTION),
                string(item, MessageItems.PHONE),
                string(item, MessageItems.NAME),
                instant(item.get(MessageItems.TIMESTAMP)),
                media != null && media.hasM() ? plainMap(media.m()) : null,
                string(item, MessageItems.STATUS),
                kind.wireName(),
                details != null && details.hasM() ? plainMap(details.m()) : Map.of(),
                reactions,
                Attrs.bool(item, MessageItems.EDITED, false),
                Attrs.bool(item, MessageItems.DELETED, false),
                string(item, MessageItems.CLIENT_ID),
                string(item, MessageItems.STATUS_REASON),
                string(item, MessageItems.STATUS_CODE));
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static Map<String, Object> plainMap(Map<String, AttributeValue> map) {
        Map<String, Object> plain = new LinkedHashMap<>();
        map.forEach((key, value) -> plain.put(key, plain(value)));
        return plain;
    }

    private static Object plain(AttributeValue value) {
        if (value.s() != null) {
            return value.s();
        }
        if (value.n() != null) {
            return new java.math.BigDecimal(value.n());
        }
        if (value.bool() != null) {
            return value.bool();
        }
        if (value.hasM()) {
            return plainMap(value.m());
        }
        if (value.hasL()) {
            return value.l().stream().map(InboxReader::plain).toList();
        }
        return null;
    }

    // Numbers are epoch millis as written by the store; an ISO string is accepted too.
    private static Instant instant(AttributeValue value) {
        if (value == null) {
            return null;
        }
        if (value.n() != null) {
            return Instant.ofEpochMilli(Long.parseLong(value.n()));
        }
        return value.s() == null ? null : Instant.parse(value.s());
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
