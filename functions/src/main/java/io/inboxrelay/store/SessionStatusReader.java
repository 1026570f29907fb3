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

    /** The attributes the route may show, by placeholder: never a secret. */
    private static final Map<String, String> PROJECTION = projection();
    private static final Map<String, String> NAMES = withTenant();

    private final DynamoDbClient dynamo;
    private final String table;

    public SessionStatusReader(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    private static Map<String, String> projection() {
        Map<String, String> names = new java.util.LinkedHashMap<>();
        List.of(SessionItems.SESSION_ID, SessionItems.PROVIDER, SessionItems.ENABLED, SessionItems.STATE,
                SessionItems.LAST_WEBHOOK_AT, SessionItems.LAST_ERROR, SessionItems.LAST_SUCCESS_AT, SessionItems.LAST_REJECTED_AT,
                SessionItems.LAST_REJECTION_STATUS, SessionItems.LAST_REJECTION_REASON)
                .forEach(attribute -> names.put("#a" + names.size(), attribute));
        for (String code : io.inboxrelay.core.WebhookRejection.REFUSAL_CODES) {
            for (String prefix : List.of(SessionItems.REFUSED_COUNT, SessionItems.REFUSED_AT, SessionItems.REFUSED_STATUS,
                    SessionItems.REFUSED_REASON)) {
                names.put("#a" + names.size(), prefix + code);
            }
        }
        return java.util.Collections.unmodifiableMap(names);
    }

    private static Map<String, String> withTenant() {
        Map<String, String> names = new java.util.HashMap<>(PROJECTION);
        names.put("#t", SessionItems.TENANT_ID);
        return Map.copyOf(names);
    }

    public List<SessionStatus> forTenant(String tenantId) {
        List<SessionStatus> sessions = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder request = QueryRequest.builder().tableName(table).indexName(SessionItems.TENANT_INDEX)
                    .keyConditionExpression("#t = :t")
                    .projectionExpression(String.join(", ", PROJECTION.keySet()))
                    .expressionAttributeNames(NAMES)
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenantId)));
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            QueryResponse page = dynamo.query(request.build());
            for (Map<String, AttributeValue> item : page.items()) {
                sessions.add(new SessionStatus(Attrs.string(item, SessionItems.SESSION_ID), Attrs.string(item, SessionItems.PROVIDER),
                        Attrs.bool(item, SessionItems.ENABLED, true), Attrs.string(item, SessionItems.STATE),
                        Attrs.number(item, SessionItems.LAST_WEBHOOK_AT),
                        Attrs.number(item, SessionItems.LAST_SUCCESS_AT), Attrs.number(item, SessionItems.LAST_REJECTED_AT),
                        SessionItems.rejection(item), SessionItems.refusals(item)));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return sessions;
    }
}
