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
            QueryRequest.Builder request = QueryRequest.builder().tableName(table).indexName(SessionItems.TENANT_INDEX)
                    .keyConditionExpression("#t = :t")
                    .projectionExpression("#id, #p, #e, #s, #w, #err, #ok, #rat, #rst, #rr")
                    .expressionAttributeNames(Map.ofEntries(Map.entry("#t", SessionItems.TENANT_ID),
                            Map.entry("#id", SessionItems.SESSION_ID), Map.entry("#p", SessionItems.PROVIDER),
                            Map.entry("#e", SessionItems.ENABLED), Map.entry("#s", SessionItems.STATE),
                            Map.entry("#w", SessionItems.LAST_WEBHOOK_AT), Map.entry("#err", SessionItems.LAST_ERROR),
                            Map.entry("#ok", SessionItems.LAST_SUCCESS_AT), Map.entry("#rat", SessionItems.LAST_REJECTED_AT),
                            Map.entry("#rst", SessionItems.LAST_REJECTION_STATUS), Map.entry("#rr", SessionItems.LAST_REJECTION_REASON)))
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
                        SessionItems.rejection(item)));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return sessions;
    }
}
