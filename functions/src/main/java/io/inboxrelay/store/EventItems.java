package io.inboxrelay.store;

import io.inboxrelay.core.event.PushEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** Event items of EventsTable: what the stream carries to the fan-out and what resume replays. */
public final class EventItems {

    public static final String TENANT_ID = "tenantId";
    public static final String CURSOR = "cursor";
    public static final String TYPE = "type";
    public static final String CHANNEL = "channel";
    public static final String BODY = "body";
    public static final String CREATED_AT = "createdAt";
    public static final String EXPIRES_AT = "expiresAt";
    /** When the gateway says it happened: the push delay metric is measured from it. */
    public static final String OCCURRED_AT = "occurredAt";

    private EventItems() {
    }

    public static Map<String, AttributeValue> toItem(PushEvent event, Instant createdAt, Duration ttl) {
        Attrs.Item item = new Attrs.Item();
        if (event.occurredAt() != null) {
            item.put(OCCURRED_AT, event.occurredAt().toEpochMilli());
        }
        return item
                .put(TENANT_ID, event.tenantId())
                .put(CURSOR, event.cursor())
                .put(TYPE, event.type())
                .put(CHANNEL, event.channel().wireName())
                .put(BODY, event.body())
                .put(CREATED_AT, createdAt.toEpochMilli())
                .put(EXPIRES_AT, createdAt.plus(ttl).getEpochSecond())
                .build();
    }

    /** The same never-overwriting put, on its own (events derived after a commit, markers). */
    public static PutItemRequest putRequest(String table, PushEvent event, Instant createdAt, Duration ttl) {
        return PutItemRequest.builder().tableName(table)
                .item(toItem(event, createdAt, ttl))
                .conditionExpression("attribute_not_exists(#cursor)")
                .expressionAttributeNames(Map.of("#cursor", CURSOR))
                .build();
    }

    /** A put that can never overwrite: cursors are unique, and the condition makes that a checked fact. */
    static TransactWriteItem put(String table, PushEvent event, Instant createdAt, Duration ttl) {
        return TransactWriteItem.builder()
                .put(p -> p.tableName(table)
                        .item(toItem(event, createdAt, ttl))
                        .conditionExpression("attribute_not_exists(#cursor)")
                        .expressionAttributeNames(Map.of("#cursor", CURSOR)))
                .build();
    }
}
