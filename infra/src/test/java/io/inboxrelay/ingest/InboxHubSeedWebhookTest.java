package io.inboxrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.signature.WebhookSigner;
import io.inboxrelay.handler.WebhookHandler;
import io.inboxrelay.local.LocalDynamo;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.store.DynamoSessionRegistry;
import io.inboxrelay.testing.HttpApiEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The Frappe seed's Inbox Hub bridge end to end through the webhook function and DynamoDB Local: it sends
 * {@code X-Webhook-Timestamp} but signs the body alone, and names its fields its own way.
 */
class InboxHubSeedWebhookTest {

    private static final String SECRET = "seed-webhook-secret";

    private static LocalDynamo dynamo;
    private static Config config;
    private static WebhookHandler handler;

    private final String tenant = "t-" + UUID.randomUUID();

    @BeforeAll
    static void startDynamo() {
        dynamo = LocalDynamo.startInMemory().createTables(SamTemplate.fromRepository());
        config = Config.from(dynamo.environment());
        handler = new WebhookHandler(dynamo.client(), config, Clock.systemUTC());
    }

    @AfterAll
    static void stopDynamo() {
        dynamo.close();
    }

    @Test
    void a_body_only_signature_beside_a_timestamp_is_refused_with_the_expected_form_until_the_session_is_body_only()
            throws Exception {
        byte[] body = Files.readAllBytes(Path.of(System.getProperty("events.dir"), "gateways", "inboxhub",
                "seed-data-message-received.json"));

        String timestamped = register(SignatureKind.HMAC_SHA256);
        APIGatewayV2HTTPResponse refused = post(timestamped, body);
        assertThat(refused.getStatusCode()).isEqualTo(401);
        String reason = Json.parse(refused.getBody()).path("message").asText();
        assertThat(reason).contains("HMAC(secret, timestamp.body)").contains("X-Webhook-Timestamp is present")
                .contains("hmac-sha256-body").doesNotContain(SECRET);
        assertThat(message("3A1FAB304FEA0BE9EC18")).isEmpty();

        String bodyOnly = register(SignatureKind.HMAC_SHA256_BODY);
        APIGatewayV2HTTPResponse stored = post(bodyOnly, body);
        assertThat(stored.getStatusCode()).as(stored.getBody()).isEqualTo(200);
        assertThat(Json.parse(stored.getBody()).path("status").asText()).isEqualTo("stored");
        assertThat(message("3A1FAB304FEA0BE9EC18")).isNotEmpty();
        assertThat(conversation("34657032985")).isNotEmpty();
        assertThat(Json.parse(post(bodyOnly, body).getBody()).path("status").asText()).isEqualTo("duplicate");
    }

    private String register(SignatureKind signature) {
        String sessionId = "s-" + UUID.randomUUID();
        new DynamoSessionRegistry(dynamo.client(), config.sessionsTable()).create(new Session(sessionId, tenant,
                Provider.INBOX_HUB, signature, List.of(SECRET), null, List.of(), true, Instant.now(), null, null, null));
        return sessionId;
    }

    /** As the seed's bridge sends it: the body's HMAC, an unsigned timestamp and the event header. */
    private static APIGatewayV2HTTPResponse post(String sessionId, byte[] body) {
        Map<String, String> headers = new HashMap<>();
        WebhookSigner.hmacSha256BodyOnly(SECRET, body).forEach((name, value) -> headers.put(name.toLowerCase(), value));
        headers.put("x-webhook-timestamp", Long.toString(Instant.now().getEpochSecond()));
        headers.put("x-webhook-event", "message.received");
        headers.put("content-type", "application/json");
        return handler.handleRequest(HttpApiEvents.webhook("POST", sessionId, body, headers), null);
    }

    private Map<String, AttributeValue> message(String messageId) {
        return dynamo.client().getItem(r -> r.tableName(config.messagesTable())
                .key(Map.of("pk", AttributeValue.fromS(tenant + "#" + messageId)))).item();
    }

    private Map<String, AttributeValue> conversation(String conversationId) {
        return dynamo.client().getItem(r -> r.tableName(config.conversationsTable())
                .key(Map.of("tenantId", AttributeValue.fromS(tenant), "conversationId", AttributeValue.fromS(conversationId)))).item();
    }
}
