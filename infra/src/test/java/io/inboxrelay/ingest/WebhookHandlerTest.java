package io.inboxrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.handler.WebhookHandler;
import io.inboxrelay.local.LocalDynamo;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.store.DynamoSessionRegistry;
import io.inboxrelay.testing.HttpApiEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The webhook function against DynamoDB Local, fed the events API Gateway sends. */
class WebhookHandlerTest {

    private static final String SECRET = "test-secret-0123456789";

    private static LocalDynamo dynamo;
    private static Config config;
    private static WebhookHandler handler;

    private String tenant;
    private String sessionId;

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

    @BeforeEach
    void newTenant() {
        tenant = "t-" + UUID.randomUUID();
        sessionId = "s-" + UUID.randomUUID();
    }

    @Test
    void twenty_concurrent_deliveries_of_one_message_store_one_record_and_count_unread_once() throws Exception {
        register(Provider.WAHA, SignatureKind.WAHA_HMAC, List.of());
        byte[] body = fixture("waha/message-c-us.json");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Callable<APIGatewayV2HTTPResponse>> deliveries = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            deliveries.add(() -> post(body, SignatureKind.WAHA_HMAC));
        }
        List<String> statuses = new ArrayList<>();
        for (Future<APIGatewayV2HTTPResponse> answer : pool.invokeAll(deliveries)) {
            assertThat(answer.get().getStatusCode()).isEqualTo(200);
            statuses.add(Json.parse(answer.get().getBody()).path("status").asText());
        }
        pool.shutdown();

        assertThat(statuses).containsOnly("stored", "duplicate");
        assertThat(statuses.stream().filter("stored"::equals)).hasSize(1);
        assertThat(messageCount()).isEqualTo(1);
        assertThat(conversation("5511987654321").get("unreadCount").n()).isEqualTo("1");
        assertThat(eventTypes()).containsExactly("new_message", "conversation_updated");
    }

    @Test
    void the_contact_is_written_with_the_first_message_and_again_only_when_the_lead_changes_name() {
        register(Provider.INBOX_HUB, SignatureKind.HMAC_SHA256, List.of());
        assertThat(status(post(incoming("C1", "Maria"), SignatureKind.HMAC_SHA256))).isEqualTo("stored");
        Map<String, AttributeValue> first = onlyContact();
        assertThat(first.get("name").s()).isEqualTo("Maria");
        assertThat(first.get("phone").s()).isEqualTo("+5511987654321");

        assertThat(status(post(incoming("C2", "Maria"), SignatureKind.HMAC_SHA256))).isEqualTo("stored");
        assertThat(onlyContact().get("updatedAt")).as("same name and number: no write").isEqualTo(first.get("updatedAt"));

        assertThat(status(post(incoming("C3", "Maria Silva"), SignatureKind.HMAC_SHA256))).isEqualTo("stored");
        assertThat(onlyContact().get("name").s()).isEqualTo("Maria Silva");
        assertThat(conversation("5511987654321").get("name").s()).isEqualTo("Maria Silva");
        assertThat(conversation("5511987654321").get("unreadCount").n()).isEqualTo("3");
    }

    private static byte[] incoming(String id, String name) {
        long at = Instant.now().getEpochSecond();
        return ("{\"event\":\"message.received\",\"timestamp\":" + at + ",\"message\":{\"id\":\"" + id
                + "\",\"from\":\"+5511987654321\",\"fromMe\":false,\"name\":\"" + name + "\",\"text\":\"hi\",\"timestamp\":" + at + "}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, AttributeValue> onlyContact() {
        var items = dynamo.client().query(r -> r.tableName(config.contactsTable()).consistentRead(true)
                .keyConditionExpression("tenantId = :t").expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenant)))).items();
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    @Test
    void the_lid_twin_of_a_waha_message_folds_into_the_first() throws IOException {
        register(Provider.WAHA, SignatureKind.WAHA_HMAC, List.of());
        assertThat(status(post(fixture("waha/message-c-us.json"), SignatureKind.WAHA_HMAC))).isEqualTo("stored");
        assertThat(status(post(fixture("waha/message-lid.json"), SignatureKind.WAHA_HMAC))).isEqualTo("duplicate");
        assertThat(messageCount()).isEqualTo(1);
    }

    @Test
    void a_pushed_message_carries_the_gateway_timestamp_the_push_delay_is_measured_from() throws IOException {
        register(Provider.WAHA, SignatureKind.WAHA_HMAC, List.of());
        post(fixture("waha/message-c-us.json"), SignatureKind.WAHA_HMAC);
        Map<String, AttributeValue> newMessage = dynamo.client().query(r -> r.tableName(config.eventsTable())
                        .keyConditionExpression("tenantId = :t")
                        .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenant))))
                .items().stream().filter(item -> item.get("type").s().equals("new_message")).findFirst().orElseThrow();
        assertThat(newMessage.get("occurredAt").n()).isEqualTo("1772460311000");
        assertThat(Long.parseLong(newMessage.get("createdAt").n())).isGreaterThan(1772460311000L);
    }

    @Test
    void a_status_arriving_before_its_message_is_kept_when_the_message_follows() throws IOException {
        register(Provider.INBOX_HUB, SignatureKind.HMAC_SHA256, List.of());
        String read = """
                {"event":"message.read","timestamp":1772460400,"message":{"id":"EARLY1","to":"+5511987654321"}}""";
        String sent = """
                {"event":"message.sent","timestamp":1772460300,"message":{"id":"EARLY1","to":"+5511987654321","text":"hi","status":"SERVER_ACK"}}""";
        assertThat(status(post(read.getBytes(StandardCharsets.UTF_8), SignatureKind.HMAC_SHA256))).isEqualTo("stored");
        assertThat(status(post(sent.getBytes(StandardCharsets.UTF_8), SignatureKind.HMAC_SHA256))).isEqualTo("stored");

        Map<String, AttributeValue> message = message("EARLY1");
        assertThat(message.get("status").s()).isEqualTo("read");
        assertThat(message.get("text").s()).isEqualTo("hi");
        assertThat(message.get("direction").s()).isEqualTo("agent");
    }

    @Test
    void a_status_never_moves_backwards_and_a_failure_keeps_its_reason() throws IOException {
        register(Provider.INBOX_HUB, SignatureKind.HMAC_SHA256, List.of());
        post(inboxHub("message.sent", "M2", "\"text\":\"hello\""), SignatureKind.HMAC_SHA256);
        assertThat(status(post(inboxHub("message.read", "M2", ""), SignatureKind.HMAC_SHA256))).isEqualTo("stored");
        assertThat(status(post(inboxHub("message.delivered", "M2", ""), SignatureKind.HMAC_SHA256))).isEqualTo("duplicate");
        assertThat(message("M2").get("status").s()).isEqualTo("read");

        post(inboxHub("message.sent", "M3", "\"text\":\"hello\""), SignatureKind.HMAC_SHA256);
        assertThat(status(post(inboxHub("message.failed", "M3", "\"error\":\"131026 undeliverable\""), SignatureKind.HMAC_SHA256)))
                .isEqualTo("stored");
        assertThat(status(post(inboxHub("message.delivered", "M3", ""), SignatureKind.HMAC_SHA256))).isEqualTo("duplicate");
        assertThat(message("M3").get("status").s()).isEqualTo("failed");
        assertThat(message("M3").get("statusReason").s()).contains("undeliverable");
    }

    @Test
    void a_bad_signature_is_answered_401_and_stores_nothing() throws IOException {
        register(Provider.WAHA, SignatureKind.WAHA_HMAC, List.of());
        APIGatewayV2HTTPEvent event = event("POST", fixture("waha/message-c-us.json"),
                Map.of("content-type", "application/json", "x-webhook-hmac", "00".repeat(64)));
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(Json.parse(response.getBody()).path("error").asText()).isEqualTo("bad_signature");
        assertThat(messageCount()).isZero();
        assertThat(eventTypes()).isEmpty();
        Session seen = new DynamoSessionRegistry(dynamo.client(), config.sessionsTable()).find(sessionId).orElseThrow();
        assertThat(seen.lastError()).as("an unsigned request never touches the health").isNull();
        assertThat(seen.lastWebhookAt()).isNull();
        assertThat(seen.refusals().get("bad_signature").count()).isEqualTo(1);
        assertThat(seen.refusals().get("bad_signature").status()).isEqualTo(401);
    }

    @Test
    void forged_requests_are_counted_apart_and_a_success_keeps_the_session_healthy() throws IOException {
        register(Provider.WAHA, SignatureKind.WAHA_HMAC, List.of());
        byte[] body = fixture("waha/message-c-us.json");
        APIGatewayV2HTTPEvent unsigned = event("POST", body, Map.of("content-type", "application/json", "x-webhook-hmac", "00".repeat(64)));
        assertThat(post(body, SignatureKind.WAHA_HMAC).getStatusCode()).isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            assertThat(handler.handleRequest(unsigned, null).getStatusCode()).isEqualTo(401);
        }

        Session seen = new DynamoSessionRegistry(dynamo.client(), config.sessionsTable()).find(sessionId).orElseThrow();
        assertThat(seen.lastSuccessAt()).isNotNull();
        assertThat(seen.lastWebhookAt()).isEqualTo(seen.lastSuccessAt());
        assertThat(seen.lastRejection()).as("the health shows only authenticated requests").isNull();
        assertThat(seen.refusals().get("bad_signature").count())
                .as("the first forged request is written at once, the next ones at most once a minute").isEqualTo(1);
        assertThat(seen.refusals().get("bad_signature").reason()).startsWith("signature does not match");
        assertThat(seen.refusals().get("bad_signature").lastAt()).isNotNull();
    }

    @Test
    void a_malformed_body_is_kept_as_a_reason_without_the_body_text() {
        register(Provider.INBOX_HUB, SignatureKind.HMAC_SHA256, List.of());
        byte[] notJson = "meet me at the usual place".getBytes(StandardCharsets.UTF_8);
        assertThat(post(notJson, SignatureKind.HMAC_SHA256).getStatusCode()).isEqualTo(400);

        Session seen = new DynamoSessionRegistry(dynamo.client(), config.sessionsTable()).find(sessionId).orElseThrow();
        assertThat(seen.lastError()).isEqualTo("malformed_json");
        assertThat(seen.lastRejection().reason()).startsWith("body is not valid JSON").doesNotContain("meet");
    }

    @Test
    void an_unknown_or_disabled_session_is_answered_404() throws IOException {
        APIGatewayV2HTTPResponse unknown = post(fixture("waha/message-c-us.json"), SignatureKind.WAHA_HMAC);
        assertThat(unknown.getStatusCode()).isEqualTo(404);

        Session session = register(Provider.WAHA, SignatureKind.WAHA_HMAC, List.of());
        new DynamoSessionRegistry(dynamo.client(), config.sessionsTable()).update(new Session(
                session.sessionId(), tenant, session.provider(), session.signature(), session.secrets(), null,
                List.of(), false, session.createdAt(), null, null, null));
        assertThat(post(fixture("waha/message-c-us.json"), SignatureKind.WAHA_HMAC).getStatusCode()).isEqualTo(404);
        assertThat(messageCount()).isZero();
    }

    @Test
    void bad_input_is_answered_with_the_right_4xx_and_stores_nothing() {
        register(Provider.INBOX_HUB, SignatureKind.HMAC_SHA256, List.of());
        byte[] notJson = "hello".getBytes(StandardCharsets.UTF_8);
        APIGatewayV2HTTPEvent textPlain = event("POST", notJson, signedHeaders(notJson, SignatureKind.HMAC_SHA256, "text/plain"));
        assertThat(handler.handleRequest(textPlain, null).getStatusCode()).isEqualTo(415);

        assertThat(post(notJson, SignatureKind.HMAC_SHA256).getStatusCode()).isEqualTo(400);
        assertThat(post("[1,2]".getBytes(StandardCharsets.UTF_8), SignatureKind.HMAC_SHA256).getStatusCode()).isEqualTo(400);
        APIGatewayV2HTTPResponse noId = post("{\"event\":\"message.received\",\"message\":{\"text\":\"x\"}}"
                .getBytes(StandardCharsets.UTF_8), SignatureKind.HMAC_SHA256);
        assertThat(noId.getStatusCode()).isEqualTo(400);
        assertThat(Json.parse(noId.getBody()).path("message").asText()).isNotBlank();

        byte[] huge = new byte[6 * 1024 * 1024 + 1];
        assertThat(post(huge, SignatureKind.HMAC_SHA256).getStatusCode()).isEqualTo(413);
        assertThat(messageCount()).isZero();
    }

    @Test
    void an_unknown_event_type_is_answered_200_ignored() throws IOException {
        register(Provider.WAHA, SignatureKind.WAHA_HMAC, List.of());
        APIGatewayV2HTTPResponse response = post(fixture("waha/presence-update.json"), SignatureKind.WAHA_HMAC);
        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(status(response)).isEqualTo("ignored");
        assertThat(eventTypes()).isEmpty();
    }

    @Test
    void a_source_outside_the_allowlist_is_refused() throws IOException {
        register(Provider.WAHA, SignatureKind.WAHA_HMAC, List.of("10.1.0.0/16"));
        APIGatewayV2HTTPResponse response = post(fixture("waha/message-c-us.json"), SignatureKind.WAHA_HMAC);
        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(messageCount()).isZero();
    }

    @Test
    void meta_handshake_echoes_the_challenge_only_for_the_right_verify_token() {
        Session session = new Session(sessionId, tenant, Provider.META, SignatureKind.META, List.of(SECRET), "verify-me",
                List.of(), true, Instant.now(), null, null, null);
        new DynamoSessionRegistry(dynamo.client(), config.sessionsTable()).create(session);

        APIGatewayV2HTTPEvent good = event("GET", new byte[0], Map.of());
        good.setQueryStringParameters(Map.of("hub.mode", "subscribe", "hub.verify_token", "verify-me", "hub.challenge", "1158201444"));
        APIGatewayV2HTTPResponse answer = handler.handleRequest(good, null);
        assertThat(answer.getStatusCode()).isEqualTo(200);
        assertThat(answer.getBody()).isEqualTo("1158201444");

        APIGatewayV2HTTPEvent bad = event("GET", new byte[0], Map.of());
        bad.setQueryStringParameters(Map.of("hub.mode", "subscribe", "hub.verify_token", "nope", "hub.challenge", "1"));
        assertThat(handler.handleRequest(bad, null).getStatusCode()).isEqualTo(403);
    }

    @Test
    void a_meta_delivery_with_several_messages_stores_each_once() throws IOException {
        Session session = new Session(sessionId, tenant, Provider.META, SignatureKind.META, List.of(SECRET), "v",
                List.of(), true, Instant.now(), null, null, null);
        new DynamoSessionRegistry(dynamo.client(), config.sessionsTable()).create(session);
        byte[] batch = fixture("meta/messages-batch-two-users.json");
        assertThat(status(post(batch, SignatureKind.META))).isEqualTo("stored");
        assertThat(status(post(batch, SignatureKind.META))).isEqualTo("duplicate");
        assertThat(messageCount()).isEqualTo(2);
    }

    @Test
    void one_meta_app_posting_two_tenants_numbers_to_one_url_stores_each_change_under_its_numbers_tenant() {
        String numberA = number();
        String numberB = number();
        String tenantB = "t-" + UUID.randomUUID();
        metaSession(numberA, tenant, SECRET);
        metaSession(numberB, tenantB, SECRET); // the same Meta app: the same app secret signs every callback
        sessionId = numberA;

        byte[] delivery = meta(change(numberA, "wamid.A" + numberA), change(numberB, "wamid.B" + numberB));
        assertThat(status(post(delivery, SignatureKind.META))).isEqualTo("stored");

        assertThat(messageCount()).as("tenant of the URL's number").isEqualTo(1);
        assertThat(message("wamid.A" + numberA)).isNotEmpty();
        String tenantA = tenant;
        tenant = tenantB;
        assertThat(messageCount()).as("tenant of the other number").isEqualTo(1);
        assertThat(message("wamid.B" + numberB)).isNotEmpty();
        tenant = tenantA;
    }

    @Test
    void a_change_for_a_number_no_session_of_the_app_owns_is_refused_never_stored_under_the_urls_tenant() {
        String numberA = number();
        String foreignApp = number();
        metaSession(numberA, tenant, SECRET);
        metaSession(foreignApp, "t-" + UUID.randomUUID(), "another-apps-secret-0123456789");
        sessionId = numberA;

        APIGatewayV2HTTPResponse answer = post(meta(change(number(), "wamid.X1"), change(foreignApp, "wamid.X2")), SignatureKind.META);

        assertThat(answer.getStatusCode()).isEqualTo(200);
        assertThat(Json.parse(answer.getBody()).path("status").asText()).isEqualTo("ignored");
        assertThat(Json.parse(answer.getBody()).path("refused").asInt()).isEqualTo(2);
        assertThat(messageCount()).isZero();
    }

    @Test
    void a_meta_app_endpoint_routes_each_change_to_its_numbers_tenant_and_refuses_and_counts_the_rest() {
        String app = "app" + number();
        String endpoint = Session.metaAppEndpointId(app);
        String appSecret = "the-apps-secret-0123456789abcdef";
        String numberA = number();
        String numberB = number();
        String tenantB = "t-" + UUID.randomUUID();
        SessionRegistryWrites registry = new SessionRegistryWrites();
        registry.create(endpoint, "vendor-ops", List.of(appSecret), app);
        registry.create(numberA, tenant, List.of(), app);
        registry.create(numberB, tenantB, List.of(), app);
        String unowned = number();
        registry.create(unowned, "t-" + UUID.randomUUID(), List.of(appSecret), null); // a number, but not of this app

        APIGatewayV2HTTPResponse answer = handler.handleRequest(HttpApiEvents.signedWebhook(endpoint,
                meta(change(numberA, "wamid.EA" + numberA), change(numberB, "wamid.EB" + numberB), change(unowned, "wamid.EU")),
                SignatureKind.META, appSecret), null);

        assertThat(answer.getStatusCode()).isEqualTo(200);
        assertThat(Json.parse(answer.getBody()).path("status").asText()).isEqualTo("stored");
        assertThat(Json.parse(answer.getBody()).path("refused").asInt()).isEqualTo(1);
        assertThat(messageCount()).as("tenant of number A").isEqualTo(1);
        assertThat(message("wamid.EA" + numberA)).isNotEmpty();
        String tenantA = tenant;
        tenant = tenantB;
        assertThat(messageCount()).as("tenant of number B").isEqualTo(1);
        tenant = "vendor-ops";
        assertThat(messageCount()).as("the endpoint's own tenant stores nothing").isZero();
        tenant = tenantA;
        Session seen = new DynamoSessionRegistry(dynamo.client(), config.sessionsTable()).find(endpoint).orElseThrow();
        assertThat(seen.refusals().get("foreign_number").count()).isEqualTo(1);
        assertThat(seen.refusals().get("foreign_number").reason()).contains(unowned);
        assertThat(seen.lastSuccessAt()).as("the delivery itself was authentic").isNotNull();
    }

    @Test
    void a_number_of_a_meta_app_accepts_deliveries_signed_with_the_app_secret_at_its_own_url() {
        String app = "app" + number();
        String appSecret = "the-apps-secret-0123456789abcdef";
        String numberA = number();
        SessionRegistryWrites registry = new SessionRegistryWrites();
        registry.create(Session.metaAppEndpointId(app), "vendor-ops", List.of(appSecret), app);
        registry.create(numberA, tenant, List.of(), app);

        APIGatewayV2HTTPResponse answer = handler.handleRequest(HttpApiEvents.signedWebhook(numberA,
                meta(change(numberA, "wamid.N" + numberA)), SignatureKind.META, appSecret), null);

        assertThat(status(answer)).isEqualTo("stored");
        assertThat(message("wamid.N" + numberA)).isNotEmpty();
    }

    /** Registers Meta sessions, numbers of an app or its endpoint. */
    private static final class SessionRegistryWrites {
        void create(String id, String tenantId, List<String> secrets, String metaAppId) {
            new DynamoSessionRegistry(dynamo.client(), config.sessionsTable()).create(new Session(id, tenantId, Provider.META,
                    SignatureKind.META, secrets, "verify", List.of(), true, Instant.now(), null, null, null, null, null,
                    metaAppId, Map.of()));
        }
    }

    private static String number() {
        return Long.toString(100_000_000_000_000L + java.util.concurrent.ThreadLocalRandom.current().nextLong(900_000_000_000_000L));
    }

    private static void metaSession(String number, String tenantId, String secret) {
        new DynamoSessionRegistry(dynamo.client(), config.sessionsTable()).create(new Session(number, tenantId, Provider.META,
                SignatureKind.META, List.of(secret), "v", List.of(), true, Instant.now(), null, null, null));
    }

    private static String change(String phoneNumberId, String messageId) {
        long at = Instant.now().getEpochSecond();
        return "{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550000000\","
                + "\"phone_number_id\":\"" + phoneNumberId + "\"},\"contacts\":[{\"profile\":{\"name\":\"Lead\"},\"wa_id\":\"5511987654321\"}],"
                + "\"messages\":[{\"from\":\"5511987654321\",\"id\":\"" + messageId + "\",\"timestamp\":\"" + at
                + "\",\"text\":{\"body\":\"hello\"},\"type\":\"text\"}]}}";
    }

    private static byte[] meta(String... changes) {
        return ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":["
                + String.join(",", changes) + "]}]}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void a_session_update_is_stored_and_pushed() throws IOException {
        register(Provider.EVOLUTION, SignatureKind.STATIC_TOKEN, List.of());
        assertThat(status(post(fixture("evolution/connection-update-open.json"), SignatureKind.STATIC_TOKEN))).isEqualTo("stored");
        assertThat(new DynamoSessionRegistry(dynamo.client(), config.sessionsTable()).find(sessionId).orElseThrow().state())
                .hasToString("CONNECTED");
        assertThat(eventTypes()).containsExactly("session_status");
    }

    @Test
    void one_evolution_deletion_reported_two_ways_marks_the_message_deleted_and_is_pushed_once() throws IOException {
        register(Provider.EVOLUTION, SignatureKind.STATIC_TOKEN, List.of());
        assertThat(status(post(fixture("evolution/messages-upsert-text.json"), SignatureKind.STATIC_TOKEN))).isEqualTo("stored");

        assertThat(status(post(fixture("evolution/kinds-protocol-revoke.json"), SignatureKind.STATIC_TOKEN))).isEqualTo("stored");
        assertThat(status(post(fixture("evolution/kinds-messages-delete.json"), SignatureKind.STATIC_TOKEN))).isEqualTo("duplicate");
        // A messages.update status DELETED is never a revocation (docs/MESSAGE-KINDS.md): nothing to apply.
        assertThat(status(post(fixture("evolution/kinds-messages-update-deleted.json"), SignatureKind.STATIC_TOKEN)))
                .isEqualTo("ignored");

        Map<String, AttributeValue> target = message("3EB0C767D097B7C7C030");
        assertThat(target.get("deleted").bool()).isTrue();
        assertThat(target.get("text").s()).isEqualTo("Olá, ainda tem o apartamento disponível?");
        assertThat(messageCount()).isEqualTo(1);
        assertThat(conversation("5511987654321").get("unreadCount").n()).isEqualTo("1");
        assertThat(eventTypes()).containsExactly("new_message", "conversation_updated", "message_updated");
    }

    /**
     * The real revoke of WhiskeySockets/Baileys #716 as Evolution sends it: {@code messages.edited} (every
     * protocolMessage), the WAMessage as {@code messages.upsert}, {@code messages.delete} (the bare key). One deletion,
     * one {@code message_updated}; the change before its target keeps the target's item for the message to complete.
     */
    @Test
    void one_real_evolution_revoke_delivered_three_times_is_applied_and_pushed_once() throws IOException {
        register(Provider.EVOLUTION, SignatureKind.STATIC_TOKEN, List.of());
        assertThat(status(post(fixture("evolution/real-source-messages-edited-revoke.json"), SignatureKind.STATIC_TOKEN)))
                .isEqualTo("stored");
        assertThat(status(post(fixture("evolution/real-issue716-upsert-revoke.json"), SignatureKind.STATIC_TOKEN)))
                .isEqualTo("duplicate");
        assertThat(status(post(fixture("evolution/real-source-messages-delete.json"), SignatureKind.STATIC_TOKEN)))
                .isEqualTo("duplicate");

        assertThat(message("3A094AD1F16E847023AE").get("deleted").bool()).isTrue();
        assertThat(eventTypes()).containsExactly("message_updated");
    }

    @Test
    void a_waha_image_announced_without_its_file_is_stored_as_a_placeholder_not_dropped() throws IOException {
        register(Provider.WAHA, SignatureKind.WAHA_HMAC, List.of());
        assertThat(status(post(fixture("waha/kinds-media-pending.json"), SignatureKind.WAHA_HMAC))).isEqualTo("stored");

        Map<String, AttributeValue> stored = message("3EB0AA11BB22CC33DD46");
        assertThat(stored.get("kind").s()).isEqualTo("image");
        assertThat(stored.get("media").m().get("available").bool()).isFalse();
        assertThat(conversation("5511987654321").get("lastMessageText").s()).isEqualTo("📷 Photo");
    }

    // ------------------------------------------------------------------ helpers

    private Session register(Provider provider, SignatureKind signature, List<String> cidrs) {
        Session session = new Session(sessionId, tenant, provider, signature, List.of(SECRET), null, cidrs, true,
                Instant.now(), null, null, null);
        new DynamoSessionRegistry(dynamo.client(), config.sessionsTable()).create(session);
        return session;
    }

    private APIGatewayV2HTTPResponse post(byte[] body, SignatureKind kind) {
        return handler.handleRequest(HttpApiEvents.signedWebhook(sessionId, body, kind, SECRET), null);
    }

    private static Map<String, String> signedHeaders(byte[] body, SignatureKind kind, String contentType) {
        return HttpApiEvents.signedHeaders(body, kind, SECRET, contentType);
    }

    private APIGatewayV2HTTPEvent event(String method, byte[] body, Map<String, String> headers) {
        return HttpApiEvents.webhook(method, sessionId, body, headers);
    }

    private static byte[] inboxHub(String event, String id, String extra) {
        String message = "{\"id\":\"" + id + "\",\"to\":\"+5511987654321\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
        return ("{\"event\":\"" + event + "\",\"timestamp\":" + Instant.now().getEpochSecond() + ",\"message\":" + message + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String status(APIGatewayV2HTTPResponse response) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return Json.parse(response.getBody()).path("status").asText();
    }

    private static byte[] fixture(String name) throws IOException {
        return Files.readAllBytes(Path.of(System.getProperty("events.dir"), "gateways", name));
    }

    private long messageCount() {
        return dynamo.client().scanPaginator(r -> r.tableName(config.messagesTable())
                        .filterExpression("tenantId = :t AND attribute_exists(storedAt)")
                        .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenant))))
                .items().stream().count();
    }

    private Map<String, AttributeValue> message(String messageId) {
        return dynamo.client().getItem(r -> r.tableName(config.messagesTable())
                .key(Map.of("pk", AttributeValue.fromS(tenant + "#" + messageId)))).item();
    }

    private Map<String, AttributeValue> conversation(String conversationId) {
        return dynamo.client().getItem(r -> r.tableName(config.conversationsTable())
                .key(Map.of("tenantId", AttributeValue.fromS(tenant), "conversationId", AttributeValue.fromS(conversationId)))).item();
    }

    private List<String> eventTypes() {
        return dynamo.client().query(r -> r.tableName(config.eventsTable())
                        .keyConditionExpression("tenantId = :t")
                        .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenant))))
                .items().stream()
                .map(item -> {
                    JsonNode body = Json.parse(item.get("body").s());
                    assertThat(body.path("id").asText()).isEqualTo(item.get("cursor").s());
                    assertThat(body.path("tenant_id").asText()).isEqualTo(tenant);
                    return item.get("type").s();
                })
                .toList();
    }
}
