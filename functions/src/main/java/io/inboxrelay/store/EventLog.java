package io.inboxrelay.store;

import io.inboxrelay.core.event.Channel;
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

    private final DynamoDbClient dynamo;
    private final String table;

    public EventLog(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * A page of events.
     *
     * @param more true when events after the last one exist (the caller asks again after it)
     */
    public record Page(List<StoredEvent> events, boolean more) {
    }

    /**
     * At most {@code limit} of the tenant's events with a cursor greater than
     * {@code exclusiveLowerBound}, in the given channels (and every {@code resync_required} marker),
     * oldest first. Consistent reads, so an event committed before the call is seen.
     */
    public Page after(String tenantId, String exclusiveLowerBound, Set<Channel> channels, int limit) {
        Map<String, String> names = new HashMap<>(Map.of("#t", EventItems.TENANT_ID, "#c", EventItems.CURSOR,
                "#ch", EventItems.CHANNEL, "#type", EventItems.TYPE));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":t", AttributeValue.fromS(tenantId),
                ":c", AttributeValue.fromS(exclusiveLowerBound), ":resync", AttributeValue.fromS(StoredEvent.RESYNC_REQUIRED)));
        List<String> placeholders = new ArrayList<>();
        int i = 0;
        for (Channel channel : channels) {
            String placeholder = ":ch" + i++;
            placeholders.add(placeholder);
            values.put(placeholder, AttributeValue.fromS(channel.wireName()));
        }
        String filter = placeholders.isEmpty() ? "#type = :resync"
                : "#ch IN (" + String.join(", ", placeholders) + ") OR #type = :resync";
        List<StoredEvent> events = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder request = QueryRequest.builder().tableName(table)
                    .keyConditionExpression("#t = :t AND #c > :c")
                    .filterExpression(filter)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .scanIndexForward(true)
                    .consistentRead(true)
                    // One more than asked, so a full page knows whether anything follows.
                    .limit(limit + 1 - events.size());
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            QueryResponse page = dynamo.query(request.build());
            page.items().forEach(item -> fromItem(item).ifPresent(events::add));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && events.size() <= limit);
        if (events.size() > limit) {
            return new Page(List.copyOf(events.subList(0, limit)), true);
        }
        return new Page(List.copyOf(events), false);
    }

    /** The tenant's newest event, whatever its channel: what was last pushed (or is about to be). */
    public Optional<StoredEvent> latest(String tenantId) {
        QueryResponse page = dynamo.query(QueryRequest.builder().tableName(table)
                .keyConditionExpression("#t = :t")
                .expressionAttributeNames(Map.of("#t", EventItems.TENANT_ID))
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenantId)))
                .scanIndexForward(false)
                .limit(1)
                .build());
        return page.items().stream().findFirst().flatMap(EventLog::fromItem);
    }

    /**
     * Every {@code resync_required} marker the log still holds for the tenant (its retention), oldest
     * first. The filter reads the tenant's whole log: a diagnostic, never a hot path.
     */
    public List<StoredEvent> resyncMarkers(String tenantId) {
        List<StoredEvent> markers = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder request = QueryRequest.builder().tableName(table)
                    .keyConditionExpression("#t = :t")
                    .filterExpression("#type = :resync")
                    .expressionAttributeNames(Map.of("#t", EventItems.TENANT_ID, "#type", EventItems.TYPE))
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenantId),
                            ":resync", AttributeValue.fromS(StoredEvent.RESYNC_REQUIRED)));
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            QueryResponse page = dynamo.query(request.build());
            page.items().forEach(item -> fromItem(item).ifPresent(markers::add));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return markers;
    }

    static Optional<StoredEvent> fromItem(Map<String, AttributeValue> item) {
        AttributeValue body = item.get(EventItems.BODY);
        Optional<Channel> channel = Channel.fromWireName(text(item.get(EventItems.CHANNEL)));
        if (body == null || body.s() == null || channel.isEmpty()) {
            return Optional.empty();
        }
        AttributeValue createdAt = item.get(EventItems.CREATED_AT);
        return Optional.of(new StoredEvent(item.get(EventItems.TENANT_ID).s(), item.get(EventItems.CURSOR).s(), text(item.get(EventItems.TYPE)),
                channel.get(), body.s(), createdAt == null || createdAt.n() == null ? 0 : Long.parseLong(createdAt.n())));
    }

    private static String text(AttributeValue value) {
        return value == null ? null : value.s();
    }
}
