package io.inboxrelay.core.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.admin.GatewayConnect;
import io.inboxrelay.admin.SessionAdmin;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.signature.WebhookSigner;
import io.inboxrelay.secrets.SecretsCipher;
import io.inboxrelay.store.ConnectionStore;
import io.inboxrelay.store.DynamoSessionRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * {@link GatewayConnect} against {@link FakeGateway}s: one stands in for the gateway's registration endpoint (the exact
 * request each provider's client makes, as its client test cites), one for this stack's webhook URL (the signed proof).
 */
class GatewayConnectTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final String KEY = "gw-api-key-0123456789";
    /** Seals by prefixing the context, so a wrong context does not open: enough to hold the registry to its contract. */
    private static final SecretsCipher CIPHER = new SecretsCipher() {
        @Override
        public byte[] seal(byte[] plaintext, Map<String, String> context) {
            return (context.toString().length() + ":" + new String(plaintext, java.nio.charset.StandardCharsets.UTF_8))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public byte[] open(byte[] envelope, Map<String, String> context) {
            String text = new String(envelope, java.nio.charset.StandardCharsets.UTF_8);
            return text.substring(text.indexOf(':') + 1).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    };

    private static AmazonDynamoDBLocal local;
    private static DynamoDbClient dynamo;
    private FakeGateway gateway;
    private FakeGateway stack;
    private SessionAdmin admin;
    private GatewayConnect connect;

    @BeforeAll
    static void startDynamo() {
        local = DynamoDBEmbedded.create();
        dynamo = local.dynamoDbClient();
        dynamo.createTable(r -> r.tableName("SessionsTable").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("sessionId").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("sessionId").keyType(KeyType.HASH).build()));
        dynamo.createTable(r -> r.tableName("ConnectionsTable").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("tenantId").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("connectionId").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("tenantId").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("connectionId").keyType(KeyType.RANGE).build()));
    }

    @AfterAll
    static void stopDynamo() {
        local.shutdown();
    }

    @BeforeEach
    void start() throws Exception {
        gateway = new FakeGateway();
        stack = new FakeGateway();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        DynamoSessionRegistry sealing = new DynamoSessionRegistry(dynamo, "SessionsTable", CIPHER, false);
        admin = new SessionAdmin(sealing, clock);
        connect = new GatewayConnect(new DynamoSessionRegistry(dynamo, "SessionsTable", CIPHER, true),
                new ConnectionStore(dynamo, "ConnectionsTable", Duration.ZERO, clock),
                new GatewayClients(FakeGateway.http(new FakeGateway.RecordingSleeper()), MediaLimits.MAX_PROXY_BYTES),
                HttpClient.newHttpClient(), clock);
    }

    @AfterEach
    void stop() {
        gateway.close();
        stack.close();
    }

    private SessionAdmin.Created session(String provider, String signature) {
        SessionAdmin.Created created = admin.create(new SessionAdmin.NewSession("acme", provider + "-" + UUID.randomUUID().toString()
                .substring(0, 8), provider, signature, null, null, List.of()));
        admin.setGateway(created.session().sessionId(), gateway.baseUrl().toString(), KEY, null, null);
        return created;
    }

    private FakeGateway.Recorded proof(String sessionId) {
        return stack.requests().stream().filter(r -> r.path().equals("/webhooks/" + sessionId)).findFirst().orElseThrow();
    }

    @Test
    void evolution_gets_webhook_set_with_the_jwt_key_and_the_proof_is_signed_as_evolution_signs() {
        SessionAdmin.Created created = session("evolution", null);
        String id = created.session().sessionId();
        gateway.on("POST /webhook/set/" + id, FakeGateway.Reply.json(201, "{\"webhook\":{\"instanceName\":\"" + id + "\"}}"));
        stack.on("POST /webhooks/" + id, FakeGateway.Reply.json(200, "{\"status\":\"stored\"}"));

        GatewayConnect.Outcome outcome = connect.connect(id, stack.baseUrl() + "/");

        FakeGateway.Recorded registration = gateway.only();
        assertThat(registration.header("apikey")).isEqualTo(KEY);
        JsonNode webhook = registration.json().path("webhook");
        assertThat(webhook.path("url").asText()).isEqualTo(stack.baseUrl() + "/webhooks/" + id);
        assertThat(webhook.path("headers").path("jwt_key").asText()).isEqualTo(created.secret());
        assertThat(webhook.path("enabled").asBoolean()).isTrue();
        FakeGateway.Recorded posted = proof(id);
        assertThat(posted.json().path("event").asText()).isEqualTo("connection.update");
        assertThat(posted.json().path("data").path("state").asText()).isEqualTo("open");
        assertThat(posted.header("Authorization")).isEqualTo("Bearer " + WebhookSigner.evolutionJwt(created.secret(), NOW.getEpochSecond()));
        assertThat(outcome.ok()).isTrue();
        assertThat(outcome.proof().outcome()).isEqualTo("stored");
        assertThat(outcome.proof().browsers()).isZero();
        assertThat(outcome.toJson().toString()).doesNotContain(KEY).doesNotContain(created.secret());
    }

    @Test
    void waha_gets_its_session_config_with_the_hmac_key_and_the_proof_carries_wahas_sha512_hmac() {
        SessionAdmin.Created created = session("waha", null);
        String id = created.session().sessionId();
        gateway.on("GET /api/sessions/" + id, FakeGateway.Reply.json(200, "{\"name\":\"" + id + "\",\"config\":{\"proxy\":null}}"));
        gateway.on("PUT /api/sessions/" + id, FakeGateway.Reply.json(200, "{\"name\":\"" + id + "\"}"));
        stack.on("POST /webhooks/" + id, FakeGateway.Reply.json(200, "{\"status\":\"stored\"}"));

        GatewayConnect.Outcome outcome = connect.connect(id, stack.baseUrl().toString());

        FakeGateway.Recorded put = gateway.requests().stream().filter(r -> r.method().equals("PUT")).findFirst().orElseThrow();
        assertThat(put.header("X-Api-Key")).isEqualTo(KEY);
        JsonNode hook = put.json().path("config").path("webhooks").get(0);
        assertThat(hook.path("url").asText()).isEqualTo(stack.baseUrl() + "/webhooks/" + id);
        assertThat(hook.path("hmac").path("key").asText()).isEqualTo(created.secret());
        FakeGateway.Recorded posted = proof(id);
        assertThat(posted.json().path("event").asText()).isEqualTo("session.status");
        Map<String, String> expected = WebhookSigner.sign(SignatureKind.WAHA_HMAC, created.secret(), posted.body(), NOW);
        expected.forEach((name, value) -> assertThat(posted.header(name)).as(name).isEqualTo(value));
        assertThat(outcome.ok()).isTrue();
    }

    @Test
    void inbox_hub_gets_put_webhook_and_a_refused_proof_is_reported_with_the_webhooks_reason() {
        SessionAdmin.Created created = session("inboxhub", null);
        String id = created.session().sessionId();
        gateway.on("PUT /api/sessions/" + id + "/webhook", FakeGateway.Reply.json(200, "{\"success\":true}"));
        stack.on("POST /webhooks/" + id, FakeGateway.Reply.json(401, "{\"error\":\"bad_signature\",\"message\":\"signature does not match\"}"));

        GatewayConnect.Outcome outcome = connect.connect(id, stack.baseUrl().toString());

        FakeGateway.Recorded put = gateway.only();
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.header("X-API-Key")).isEqualTo(KEY);
        assertThat(put.json().path("url").asText()).isEqualTo(stack.baseUrl() + "/webhooks/" + id);
        assertThat(put.json().path("secret").asText()).isEqualTo(created.secret());
        assertThat(proof(id).json().path("event").asText()).isEqualTo("session.connected");
        assertThat(outcome.registration().registered()).isTrue();
        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.proof().httpStatus()).isEqualTo(401);
        assertThat(outcome.proof().outcome()).isEqualTo("bad_signature");
        assertThat(outcome.proof().message()).isEqualTo("signature does not match");
    }

    @Test
    void a_session_checking_another_scheme_than_the_gateway_will_sign_is_refused_before_any_call() {
        SessionAdmin.Created created = session("evolution", "static-token");

        assertThatThrownBy(() -> connect.connect(created.session().sessionId(), stack.baseUrl().toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checks static-token")
                .hasMessageContaining("evolution-jwt");
        assertThat(gateway.requests()).isEmpty();
    }

    @Test
    void the_gateways_refusal_is_thrown_with_its_reason_and_never_the_key() {
        SessionAdmin.Created created = session("evolution", null);
        String id = created.session().sessionId();
        gateway.on("POST /webhook/set/" + id, FakeGateway.Reply.json(401,
                "{\"status\":401,\"error\":\"Unauthorized\",\"response\":{\"message\":\"Unauthorized " + KEY + "\"}}"));

        assertThatThrownBy(() -> connect.connect(id, stack.baseUrl().toString()))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(GatewayFailure.Kind.UNAUTHORIZED);
                    assertThat(e.failure().reason()).contains("Unauthorized").doesNotContain(KEY);
                });
        assertThat(stack.requests()).as("no proof after a refused registration").isEmpty();
    }

    @Test
    void a_base_url_that_is_not_https_nor_loopback_is_refused_and_the_listing_never_holds_the_key() {
        SessionAdmin.Created created = session("waha", null);
        String id = created.session().sessionId();

        assertThatThrownBy(() -> admin.setGateway(id, "http://waha.example.com", KEY, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be https");
        assertThatThrownBy(() -> admin.setGateway(id, "https://user:pw@waha.example.com", KEY, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not carry credentials");
        JsonNode listed = io.inboxrelay.admin.SessionJson.of(admin.get(id));
        assertThat(listed.path("gateway").path("base_url").asText()).isEqualTo(gateway.baseUrl().toString());
        assertThat(listed.path("gateway").path("has_credential").asBoolean()).isTrue();
        assertThat(Json.write(listed)).doesNotContain(KEY);
    }
}
