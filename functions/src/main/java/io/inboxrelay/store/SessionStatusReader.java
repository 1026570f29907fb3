package io.inboxrelay.store;

import io.inboxrelay.core.realtime.SessionStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A tenant's gateway sessions from SessionsTable's {@code tenant-index}, projected to what the
 * {@code status} route may show: the attributes are named explicitly so secrets are never read.
 */
public final class SessionStatusReader {

    /** {@code #a0 .. #aN} for {@link SessionItems#STATUS_ATTRIBUTES}; {@code #a0} is tenantId, the key condition's. */
    private static final Map<String, String> NAMES = IntStream.range(0, SessionItems.STATUS_ATTRIBUTES.size()).boxed()
            .collect(Collectors.toUnmodifiableMap(i -> "#a" + i, SessionItems.STATUS_ATTRIBUTES::get));
    private static final String PROJECTION = IntStream.range(0, SessionItems.STATUS_ATTRIBUTES.size())
            .mapToObj(i -> "#a" + i).collect(Collectors.joining(", "));

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
                    .keyConditionExpression("#a0 = :t")
                    // Explicit attributes and Select: the status function's IAM allows nothing else (no secret).
                    .select(Select.SPECIFIC_ATTRIBUTES)
                    .projectionExpression(PROJECTION)
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
