package io.inboxrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.handler.WebhookHandler;
import io.inboxrelay.local.LocalDynamo;
import io.inboxrelay.store.DynamoSessionRegistry;
import io.inboxrelay.testing.HttpApiEvents;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** One fresh tenant with one session, fed webhooks through the real handler, read back from DynamoDB Local. */
final class TenantInbox {

    static final String SECRET = "identity-test-secret-0123456789abcdef";

    final String tenant = "t-" + UUID.randomUUID();
    final String sessionId = "s-" + UUID.randomUUID();
    private final LocalDynamo dynamo;
    private final Config config;
    private final WebhookHandler handler;
    private final SignatureKind signature;

    TenantInbox(LocalDynamo dynamo, Config config, WebhookHandler handler, Provider provider, SignatureKind signature) {
        this.dynamo = dynamo;
        this.config = config;
        this.handler = handler;
        this.signature = signature;
        new DynamoSessionRegistry(dynamo.client(), config.sessionsTable()).create(new Session(sessionId, tenant, provider, signature,
                List.of(SECRET), null, List.of(), true, java.time.Instant.now(), null, null, null));
    }

    /** Posts a signed body and returns the answer's {@code status} ({@code stored}, {@code duplicate}, …). */
    String post(String body) {
        APIGatewayV2HTTPResponse response = handler.handleRequest(
                HttpApiEvents.signedWebhook(sessionId, body.getBytes(StandardCharsets.UTF_8), signature, SECRET), null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return Json.parse(response.getBody()).path("status").asText();
    }

    List<Map<String, AttributeValue>> conversations() {
        return query(config.conversationsTable());
    }

    List<String> conversationIds() {
        return conversations().stream().map(item -> item.get("conversationId").s()).sorted().toList();
    }

    Map<String, AttributeValue> conversation(String id) {
        return conversations().stream().filter(item -> id.equals(item.get("conversationId").s())).findFirst().orElseThrow();
    }

    /** Every stored message of the tenant (receipt-only items included), by message id. */
    Map<String, String> messageConversations() {
        Map<String, String> byId = new java.util.TreeMap<>();
        dynamo.client().scanPaginator(r -> r.tableName(config.messagesTable()).consistentRead(true)).items().stream()
                .filter(item -> tenant.equals(item.get("tenantId").s()))
                .forEach(item -> byId.put(item.get("messageId").s(),
                        item.containsKey("conversationId") ? item.get("conversationId").s() : null));
        return byId;
    }

    List<String> messageIdsIn(String conversationId) {
        return dynamo.client().queryPaginator(r -> r.tableName(config.messagesTable()).indexName("conversation-index")
                        .keyConditionExpression("conversationKey = :k")
                        .expressionAttributeValues(Map.of(":k", AttributeValue.fromS(tenant + "#" + conversationId))))
                .items().stream().map(item -> item.get("messageId").s()).sorted().toList();
    }

    List<Map<String, Object>> events() {
        return query(config.eventsTable()).stream()
                .map(item -> Json.MAPPER.convertValue(Json.parse(item.get("body").s()), Map.class))
                .map(map -> (Map<String, Object>) map)
                .toList();
    }

    List<String> eventTypes() {
        return events().stream().map(event -> (String) event.get("type")).toList();
    }

    Map<String, AttributeValue> contact(String contactId) {
        return dynamo.client().getItem(r -> r.tableName(config.contactsTable()).consistentRead(true)
                .key(Map.of("tenantId", AttributeValue.fromS(tenant), "contactId", AttributeValue.fromS(contactId)))).item();
    }

    private List<Map<String, AttributeValue>> query(String table) {
        return dynamo.client().queryPaginator(r -> r.tableName(table).consistentRead(true)
                .keyConditionExpression("tenantId = :t").expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenant))))
                .items().stream().toList();
    }

    /** An Inbox Hub {@code message.received}/{@code message.sent} with the given sender fields. */
    static String inboxHub(String event, String id, String fields, long epochSeconds) {
        return "{\"event\":\"" + event + "\",\"timestamp\":" + epochSeconds + ",\"message\":{\"id\":\"" + id + "\"," + fields
                + ",\"text\":\"text of " + id + "\",\"timestamp\":" + epochSeconds + "}}";
    }
}
