package io.inboxrelay.store;

import io.inboxrelay.core.realtime.SessionStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * A tenant's gateway sessions from SessionsTable's {@code tenant-index}, projected to what the
 * {@code status} route may show: the attributes are named explicitly so secrets are never read.
 */
public final class SessionStatusReader {

    static final String INDEX = "tenant-index";

    private final DynamoDbClient dynamo;
    private final String table;

    public SessionStatusReader(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public List<SessionStatus> forTenant(String tenantId) {
        List<SessionStatus> sessions = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder request = QueryRequest.builder().tableName(table).indexName(INDEX)
                    .keyConditionExpression("#t = :t")
                    .projectionExpression("#id, #p, #e, #s, #w, #err")
                    .expressionAttributeNames(Map.of("#t", "tenantId", "#id", "sessionId", "#p", "provider",
                            "#e", "enabled", "#s", "state", "#w", "lastWebhookAt", "#err", "lastError"))
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenantId)));
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            QueryResponse page = dynamo.query(request.build());
            for (Map<String, AttributeValue> item : page.items()) {
                sessions.add(new SessionStatus(text(item, "sessionId"), text(item, "provider"),
                        item.containsKey("enabled") && Boolean.TRUE.equals(item.get("enabled").bool()),
                        text(item, "state"), number(item, "lastWebhookAt"), text(item, "lastError")));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return sessions;
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static Long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? null : Long.valueOf(value.n());
    }
}
