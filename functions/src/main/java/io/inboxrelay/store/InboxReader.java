package io.inboxrelay.store;

import io.inboxrelay.config.Config;
import io.inboxrelay.readapi.Conversation;
import io.inboxrelay.readapi.ConversationEvents;
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
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/** What the inbox page reads (conversations, messages) and its one write, mark-read. Every call is scoped to a tenant. */
public class InboxReader {

    private static final Logger LOG = LoggerFactory.getLogger(InboxReader.class);

    static final String RECENT_INDEX = "recent-index";
    static final String CONVERSATION_INDEX = "conversation-index";
    private static final int MARK_READ_ATTEMPTS = 5;

    // ConversationsTable
    static final String TENANT_ID = "tenantId";
    static final String CONVERSATION_ID = "conversationId";
    static final String CONTACT_ID = "contactId";
    static final String PHONE = "phone";
    static final String NAME = "name";
    static final String GROUP = "group";
    static final String LAST_MESSAGE_ID = "lastMessageId";
    static final String LAST_MESSAGE_TEXT = "lastMessageText";
    static final String LAST_MESSAGE_AT = "lastMessageAt";
    static final String LAST_MESSAGE_SENDER = "lastMessageSender";
    static final String LAST_MESSAGE_SORT = "lastMessageSort";
    static final String UNREAD_COUNT = "unreadCount";
    static final String VERSION = "version";
    // MessagesTable
    static final String PK = "pk";
    static final String MESSAGE_ID = "messageId";
    static final String CONVERSATION_KEY = "conversationKey";
    static final String SORT_KEY = "sortKey";
    static final String DIRECTION = "direction";
    static final String TEXT = "text";
    static final String MEDIA = "media";
    static final String TIMESTAMP = "timestamp";
    static final String STATUS = "status";
    static final String STORED_AT = "storedAt";
    // EventsTable
    static final String CURSOR = "cursor";
    static final String TYPE = "type";
    static final String CHANNEL = "channel";
    static final String BODY = "body";
    static final String CREATED_AT = "createdAt";
    static final String EXPIRES_AT = "expiresAt";

    private final DynamoDbClient dynamo;
    private final Config config;
    private final Clock clock;

    public InboxReader(DynamoDbClient dynamo, Config config, Clock clock) {
        this.dynamo = dynamo;
        this.config = config;
        this.clock = clock;
    }

    /** The tenant's conversations, the one with the latest message first. */
    public Page<Conversation> conversations(String tenantId, int limit, String cursor) {
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(config.conversationsTable())
                .indexName(RECENT_INDEX)
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
        List<Conversation> items = response.items().stream().map(InboxReader::conversation).toList();
        return new Page<>(items, nextCursor(response, LAST_MESSAGE_SORT, CONVERSATION_ID));
    }

    public Optional<Conversation> conversation(String tenantId, String conversationId) {
        return Optional.ofNullable(conversationItem(tenantId, conversationId)).map(InboxReader::conversation);
    }

    /**
     * A conversation's messages, newest first.
     *
     * @param before a cursor from a previous page, or null for the newest page
     */
    public Page<Message> messages(String tenantId, String conversationId, int limit, String before) {
        String conversationKey = tenantId + "#" + conversationId;
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(config.messagesTable())
                .indexName(CONVERSATION_INDEX)
                .keyConditionExpression("#k = :k")
                // A receipt that overtook its message leaves a placeholder item; it is not a message yet.
                .filterExpression("attribute_exists(#stored)")
                .expressionAttributeNames(Map.of("#k", CONVERSATION_KEY, "#stored", STORED_AT))
                .expressionAttributeValues(Map.of(":k", s(conversationKey)))
                .scanIndexForward(false)
                .limit(limit);
        if (before != null) {
            Map<String, String> position = PageCursor.decode(before, SORT_KEY, MESSAGE_ID);
            query.exclusiveStartKey(Map.of(
                    CONVERSATION_KEY, s(conversationKey),
                    SORT_KEY, s(position.get(SORT_KEY)),
                    PK, s(tenantId + "#" + position.get(MESSAGE_ID))));
        }
        QueryResponse response = dynamo.query(query.build());
        List<Message> items = response.items().stream().map(InboxReader::message).toList();
        String next = null;
        if (response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()) {
            Map<String, AttributeValue> last = response.lastEvaluatedKey();
            String pk = last.get(PK).s();
            next = PageCursor.encode(Map.of(SORT_KEY, last.get(SORT_KEY).s(), MESSAGE_ID, pk.substring(pk.indexOf('#') + 1)));
        }
        return new Page<>(items, next);
    }

    /**
     * Sets the unread count to zero and records a {@code conversation_updated} event in the same
     * transaction, so every other open browser of the tenant clears its badge too.
     *
     * @return the conversation after the change, empty when the tenant has no such conversation
     */
    public Optional<Conversation> markRead(String tenantId, String conversationId) {
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> item = conversationItem(tenantId, conversationId);
            if (item == null) {
                return Optional.empty();
            }
            Conversation current = conversation(item);
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

    private Conversation writeRead(String tenantId, Map<String, AttributeValue> item, Conversation current) {
        Instant now = clock.instant();
        Conversation read = new Conversation(current.conversationId(), current.contactId(), current.name(), current.phone(),
                current.group(), 0, current.version() + 1, current.lastMessageId(), current.lastMessageText(),
                current.lastMessageSender(), current.lastMessageAt());
        String cursor = ConversationEvents.nextCursor(now);

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

        Map<String, AttributeValue> event = new HashMap<>();
        event.put(TENANT_ID, s(tenantId));
        event.put(CURSOR, s(cursor));
        event.put(TYPE, s("conversation_updated"));
        event.put(CHANNEL, s("messages"));
        event.put(BODY, s(ConversationEvents.updated(tenantId, cursor, read)));
        event.put(CREATED_AT, n(now.toEpochMilli()));
        event.put(EXPIRES_AT, n(now.plus(config.eventTtl()).getEpochSecond()));
        Put put = Put.builder()
                .tableName(config.eventsTable())
                .item(event)
                .conditionExpression("attribute_not_exists(#c)")
                .expressionAttributeNames(Map.of("#c", CURSOR))
                .build();

        dynamo.transactWriteItems(request -> request.transactItems(
                TransactWriteItem.builder().update(update).build(),
                TransactWriteItem.builder().put(put).build()));
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

    static Conversation conversation(Map<String, AttributeValue> item) {
        return new Conversation(
                string(item, CONVERSATION_ID),
                string(item, CONTACT_ID),
                string(item, NAME),
                string(item, PHONE),
                item.containsKey(GROUP) && Boolean.TRUE.equals(item.get(GROUP).bool()),
                number(item, UNREAD_COUNT),
                number(item, VERSION),
                string(item, LAST_MESSAGE_ID),
                string(item, LAST_MESSAGE_TEXT),
                string(item, LAST_MESSAGE_SENDER),
                instant(item.get(LAST_MESSAGE_AT)));
    }

    static Message message(Map<String, AttributeValue> item) {
        AttributeValue media = item.get(MEDIA);
        return new Message(
                string(item, MESSAGE_ID),
                string(item, TEXT),
                string(item, DIRECTION),
                string(item, PHONE),
                string(item, NAME),
                instant(item.get(TIMESTAMP)),
                media != null && media.hasM() ? plainMap(media.m()) : null,
                string(item, STATUS));
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
