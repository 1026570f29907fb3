package io.inboxrelay.store;

import io.inboxrelay.core.realtime.Channel;
import io.inboxrelay.core.realtime.StoredEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** The read side of EventsTable ({@code tenantId} + {@code cursor}): what {@code resume} replays. */
public final class EventLog {

    static final String TENANT_ID = "tenantId";
    static final String CURSOR = "cursor";
    static final String TYPE = "type";
    static final String CHANNEL = "channel";
    static final String BODY = "body";
    static final String CREATED_AT = "createdAt";

    private final DynamoDbClient dynamo;
    private final String table;

    public EventLog(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * The tenant's events with a cursor greater than {@code exclusiveLowerBound}, in the given
     * channels, oldest first. Consistent reads, so an event committed before the call is seen.
     */
    public List<StoredEvent> after(String tenantId, String exclusiveLowerBound, Set<Channel> channels) {
        Map<String, String> names = new HashMap<>(Map.of("#t", TENANT_ID, "#c", CURSOR, "#ch", CHANNEL));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":t", AttributeValue.fromS(tenantId),
                ":c", AttributeValue.fromS(exclusiveLowerBound)));
        List<String> placeholders = new ArrayList<>();
        int i = 0;
        for (Channel channel : channels) {
            String placeholder = ":ch" + i++;
            placeholders.add(placeholder);
            values.put(placeholder, AttributeValue.fromS(channel.wireName()));
        }
        List<StoredEvent> events = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder request = QueryRequest.builder().tableName(table)
                    .keyConditionExpression("#t = :t AND #c > :c")
                    .filterExpression("#ch IN (" + String.join(", ", placeholders) + ")")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .scanIndexForward(true)
                    .consistentRead(true);
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            QueryResponse page = dynamo.query(request.build());
            page.items().forEach(item -> fromItem(item).ifPresent(events::add));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return events;
    }

    static Optional<StoredEvent> fromItem(Map<String, AttributeValue> item) {
        AttributeValue body = item.get(BODY);
        Optional<Channel> channel = Channel.of(text(item.get(CHANNEL)));
        if (body == null || body.s() == null || channel.isEmpty()) {
            return Optional.empty();
        }
        AttributeValue createdAt = item.get(CREATED_AT);
        return Optional.of(new StoredEvent(item.get(TENANT_ID).s(), item.get(CURSOR).s(), text(item.get(TYPE)),
                channel.get(), body.s(), createdAt == null || createdAt.n() == null ? 0 : Long.parseLong(createdAt.n())));
    }

    private static String text(AttributeValue value) {
        return value == null ? null : value.s();
    }
}
