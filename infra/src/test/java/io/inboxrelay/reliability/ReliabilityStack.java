package io.inboxrelay.reliability;

import io.inboxrelay.core.auth.TokenMinter;
import io.inboxrelay.local.LocalStack;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.store.DynamoSessionRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** The repository's template on the local stack, with what the reliability tests read back from it. */
final class ReliabilityStack {

    static final String JWT_SECRET = "reliability-jwt-secret-0123456789-abcdefghij";

    private ReliabilityStack() {
    }

    static LocalStack start(LocalStack.Options options) {
        return LocalStack.start(SamTemplate.fromRepository(), options);
    }

    static LocalStack start() {
        return start(LocalStack.Options.ephemeral(JWT_SECRET));
    }

    static DynamoSessionRegistry registry(LocalStack stack) {
        return new DynamoSessionRegistry(stack.dynamo().client(), "SessionsTable");
    }

    static String token(String tenantId, String user) {
        return new TokenMinter(JWT_SECRET).mint(tenantId, user, Duration.ofHours(1));
    }

    static URI socketUrl(LocalStack stack, String token) {
        return URI.create(stack.webSocketUrl() + "?token=" + token);
    }

    /** The cursors of every event the tenant has in EventsTable (what a browser of it must end up with). */
    static Set<String> eventIds(LocalStack stack, String tenantId) {
        Set<String> ids = new HashSet<>();
        stack.dynamo().client().queryPaginator(QueryRequest.builder().tableName("EventsTable").consistentRead(true)
                        .keyConditionExpression("tenantId = :t").expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenantId)))
                        .projectionExpression("#c").expressionAttributeNames(Map.of("#c", "cursor")).build())
                .items().forEach(item -> ids.add(item.get("cursor").s()));
        return ids;
    }

    /** How many events of the type the tenant has. */
    static long eventCount(LocalStack stack, String tenantId, String type) {
        return stack.dynamo().client().queryPaginator(QueryRequest.builder().tableName("EventsTable").consistentRead(true)
                        .keyConditionExpression("tenantId = :t").filterExpression("#type = :type")
                        .expressionAttributeNames(Map.of("#type", "type"))
                        .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenantId), ":type", AttributeValue.fromS(type))).build())
                .items().stream().count();
    }

    /** messageId → how many stored message items carry it, per tenant (a test may Scan; the code never does). */
    static Map<String, Map<String, Integer>> storedMessages(LocalStack stack) {
        Map<String, Map<String, Integer>> byTenant = new HashMap<>();
        stack.dynamo().client().scanPaginator(ScanRequest.builder().tableName("MessagesTable").consistentRead(true).build())
                .items().forEach(item -> {
                    if (item.containsKey("storedAt")) {
                        byTenant.computeIfAbsent(item.get("tenantId").s(), t -> new HashMap<>())
                                .merge(item.get("messageId").s(), 1, Integer::sum);
                    }
                });
        return byTenant;
    }

    /**
     * Every conversation whose {@code unreadCount} differs from the number of incoming messages stored
     * in it (nothing is marked read in these runs): "tenant/conversation" → "unread N, stored M".
     */
    static Map<String, String> unreadCountsThatDisagree(LocalStack stack) {
        Map<String, Integer> incoming = new HashMap<>();
        stack.dynamo().client().scanPaginator(ScanRequest.builder().tableName("MessagesTable").consistentRead(true).build())
                .items().forEach(item -> {
                    if (item.containsKey("storedAt") && "lead".equals(item.get("direction").s())) {
                        incoming.merge(item.get("tenantId").s() + "/" + item.get("conversationId").s(), 1, Integer::sum);
                    }
                });
        Map<String, String> wrong = new HashMap<>();
        stack.dynamo().client().scanPaginator(ScanRequest.builder().tableName("ConversationsTable").consistentRead(true).build())
                .items().forEach(item -> {
                    String key = item.get("tenantId").s() + "/" + item.get("conversationId").s();
                    long unread = item.containsKey("unreadCount") ? Long.parseLong(item.get("unreadCount").n()) : 0;
                    int stored = incoming.getOrDefault(key, 0);
                    if (unread != stored) {
                        wrong.put(key, "unread " + unread + ", stored " + stored);
                    }
                });
        return wrong;
    }

    /** The connection ids ConnectionsTable holds for the tenant. */
    static List<String> connectionIds(LocalStack stack, String tenantId) {
        return stack.dynamo().client().query(r -> r.tableName("ConnectionsTable").consistentRead(true)
                        .keyConditionExpression("tenantId = :t").expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenantId))))
                .items().stream().map(item -> item.get("connectionId").s()).toList();
    }
}
