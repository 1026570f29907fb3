package io.inboxrelay.realtime;

import static io.inboxrelay.realtime.RealtimeFixtures.connectionExists;
import static io.inboxrelay.realtime.RealtimeFixtures.load;
import static io.inboxrelay.realtime.RealtimeFixtures.registerConnection;
import static io.inboxrelay.realtime.RealtimeFixtures.writeEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.config.Clients;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.handler.ConnectHandler;
import io.inboxrelay.handler.DefaultRouteHandler;
import io.inboxrelay.handler.DisconnectHandler;
import io.inboxrelay.handler.PingHandler;
import io.inboxrelay.handler.ResumeHandler;
import io.inboxrelay.handler.StatusHandler;
import io.inboxrelay.handler.SubscribeHandler;
import io.inboxrelay.handler.WebhookHandler;
import io.inboxrelay.local.LocalDynamo;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.store.DynamoSessionRegistry;
import io.inboxrelay.testing.HttpApiEvents;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Every WebSocket route, driven by the API Gateway events under {@code events/websocket}, against DynamoDB Local. */
class WebSocketRoutesTest {

    private static LocalDynamo dynamo;
    private static FakeManagementApi api;
    private static Config config;

    private String connectionId;

    @BeforeAll
    static void start() throws Exception {
        dynamo = LocalDynamo.startInMemory().createTables(SamTemplate.fromRepository());
        api = new FakeManagementApi();
        config = RealtimeFixtures.config(dynamo, api.endpoint(), Map.of("RESUME_OVERLAP_MS", "10000"));
    }

    @AfterAll
    static void stop() {
        api.close();
        dynamo.close();
    }

    @BeforeEach
    void freshConnection() {
        connectionId = "conn-" + UUID.randomUUID();
    }

    @Test
    void connect_stores_the_socket_under_its_tenant_with_every_channel_and_a_ttl_past_two_hours() {
        Instant now = Instant.parse("2026-01-21T10:15:22Z");
        var handler = new ConnectHandler(dynamo.client(), config, Clock.fixed(now, ZoneOffset.UTC));

        APIGatewayV2WebSocketResponse response = handler.handleRequest(event("websocket/connect.json"), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).containsEntry("Sec-WebSocket-Protocol", "inbox-relay");
        Map<String, AttributeValue> item = connectionItem("tenant-a", connectionId);
        assertThat(item.get("userId").s()).isEqualTo("agent-7");
        assertThat(item.get("channels").ss()).containsExactlyInAnyOrder("messages", "statuses", "sessions");
        assertThat(Long.parseLong(item.get("expiresAt").n())).isGreaterThan(now.plusSeconds(7200).getEpochSecond());
        assertThat(Long.parseLong(item.get("connectedAt").n())).isEqualTo(now.toEpochMilli());
    }

    @Test
    void connect_never_echoes_a_token_offered_alone_and_sets_no_header_when_none_was_offered() {
        var handler = new ConnectHandler(dynamo.client(), config, Clock.systemUTC());
        APIGatewayV2WebSocketEvent single = event("websocket/connect.json");
        single.getHeaders().put("Sec-WebSocket-Protocol", "eyJhbGciOiJIUzI1NiJ9.e30.sig");
        APIGatewayV2WebSocketEvent none = event("websocket/connect.json");
        none.getHeaders().remove("Sec-WebSocket-Protocol");

        // Only inbox-relay is ever answered; a token offered alone is refused by the authorizer before this.
        assertThat(handler.handleRequest(single, null).getHeaders()).isNull();
        assertThat(handler.handleRequest(none, null).getHeaders()).isNull();
    }

    @Test
    void connect_without_an_authorizer_context_is_refused_and_stores_nothing() {
        APIGatewayV2WebSocketEvent event = event("websocket/connect.json");
        event.getRequestContext().setAuthorizer(null);

        APIGatewayV2WebSocketResponse response = new ConnectHandler(dynamo.client(), config, Clock.systemUTC()).handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(connectionExists(dynamo.client(), "tenant-a", connectionId)).isFalse();
    }

    @Test
    void disconnect_deletes_the_socket() {
        registerConnection(dynamo.client(), "tenant-a", connectionId, "messages");

        APIGatewayV2WebSocketResponse response = new DisconnectHandler(dynamo.client(), config).handleRequest(event("websocket/disconnect.json"), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(connectionExists(dynamo.client(), "tenant-a", connectionId)).isFalse();
    }

    @Test
    void ping_is_answered_pong() {
        APIGatewayV2WebSocketResponse response = new PingHandler(Clients::management, config, Clock.systemUTC()).handleRequest(event("websocket/ping.json"), null);

        assertThat(Json.parse(response.getBody()).path("type").asText()).isEqualTo("pong");
    }

    @Test
    void subscribe_replaces_the_channels_and_answers_with_them() {
        registerConnection(dynamo.client(), "tenant-a", connectionId, "messages", "statuses", "sessions");

        JsonNode answer = body(new SubscribeHandler(dynamo.client(), config).handleRequest(event("websocket/subscribe.json"), null));

        assertThat(answer.path("type").asText()).isEqualTo("subscribed");
        assertThat(answer.path("channels")).extracting(JsonNode::asText).containsExactly("messages", "sessions");
        assertThat(connectionItem("tenant-a", connectionId).get("channels").ss()).containsExactlyInAnyOrder("messages", "sessions");
    }

    @Test
    void subscribing_to_an_unknown_channel_is_an_error_and_keeps_the_connection_as_it_was() {
        registerConnection(dynamo.client(), "tenant-a", connectionId, "messages", "statuses");

        APIGatewayV2WebSocketResponse response = new SubscribeHandler(dynamo.client(), config)
                .handleRequest(event("websocket/subscribe-unknown-channel.json"), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(body(response).path("code").asText()).isEqualTo("unknown_channel");
        assertThat(body(response).path("message").asText()).contains("invoices");
        assertThat(connectionItem("tenant-a", connectionId).get("channels").ss()).containsExactlyInAnyOrder("messages", "statuses");
    }

    @Test
    void status_shows_tenant_connection_channels_and_the_tenants_sessions_without_secrets() {
        registerConnection(dynamo.client(), "tenant-a", connectionId, "messages", "sessions");
        putSession("evo-a", "tenant-a", "connected", 1768990500000L, null);
        putSession("waha-a", "tenant-a", "disconnected", null, "signature mismatch");
        putSession("evo-b", "tenant-b", "connected", 1768990500000L, null);

        APIGatewayV2WebSocketResponse response = new StatusHandler(dynamo.client(), config).handleRequest(event("websocket/status.json"), null);

        JsonNode status = body(response);
        assertThat(status.path("type").asText()).isEqualTo("status");
        assertThat(status.path("tenant_id").asText()).isEqualTo("tenant-a");
        assertThat(status.path("connection_id").asText()).isEqualTo(connectionId);
        assertThat(status.path("user_id").asText()).isEqualTo("agent-" + connectionId);
        assertThat(status.path("channels")).extracting(JsonNode::asText).containsExactly("messages", "sessions");
        assertThat(status.path("sessions")).extracting(s -> s.path("session_id").asText()).containsExactly("evo-a", "waha-a");
        JsonNode waha = status.path("sessions").get(1);
        assertThat(waha.path("state").asText()).isEqualTo("disconnected");
        assertThat(waha.path("last_webhook_at").isNull()).isTrue();
        assertThat(waha.path("last_error").asText()).isEqualTo("signature mismatch");
        assertThat(status.path("sessions").get(0).path("last_webhook_at").asLong()).isEqualTo(1768990500000L);
        assertThat(response.getBody()).doesNotContain("whsec-very-secret").doesNotContain("secrets");
    }

    @Test
    void status_shows_the_last_rejection_beside_a_later_success_and_forged_requests_as_counters() {
        String tenant = "tenant-" + UUID.randomUUID();
        String sessionId = "hub-" + UUID.randomUUID();
        String secret = "hub-secret-0123456789";
        new DynamoSessionRegistry(dynamo.client(), config.sessionsTable()).create(new Session(sessionId, tenant, Provider.INBOX_HUB,
                SignatureKind.HMAC_SHA256, List.of(secret), null, List.of(), true, Instant.now(), null, null, null));
        WebhookHandler webhooks = new WebhookHandler(dynamo.client(), config, Clock.systemUTC());
        byte[] body = ("{\"event\":\"message.received\",\"message\":{\"id\":\"ST1\",\"from\":\"+573001234567\",\"text\":\"hi\"}}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] noId = "{\"event\":\"message.received\",\"message\":{\"text\":\"hi\"}}".getBytes(StandardCharsets.UTF_8);
        assertThat(webhooks.handleRequest(HttpApiEvents.signedWebhook(sessionId, noId, SignatureKind.HMAC_SHA256, secret), null)
                .getStatusCode()).isEqualTo(400);
        assertThat(webhooks.handleRequest(HttpApiEvents.signedWebhook(sessionId, body, SignatureKind.HMAC_SHA256, "old-secret"), null)
                .getStatusCode()).isEqualTo(401);
        assertThat(webhooks.handleRequest(HttpApiEvents.signedWebhook(sessionId, body, SignatureKind.HMAC_SHA256, secret), null)
                .getStatusCode()).isEqualTo(200);
        registerConnection(dynamo.client(), tenant, connectionId, "sessions");

        APIGatewayV2WebSocketEvent request = event("websocket/status.json");
        Map<String, Object> authorizer = new HashMap<>(request.getRequestContext().getAuthorizer());
        authorizer.put("tenantId", tenant);
        request.getRequestContext().setAuthorizer(authorizer);
        JsonNode status = body(new StatusHandler(dynamo.client(), config).handleRequest(request, null));
        JsonNode session = status.path("sessions").get(0);

        assertThat(status.path("connections").asInt()).isEqualTo(1);
        assertThat(status.path("verdict_code").asText()).isEqualTo("ok");
        assertThat(status.path("verdict").asText()).isEqualTo("ok: 1 browser connected, session " + sessionId + " last sent just now");

        assertThat(session.path("session_id").asText()).isEqualTo(sessionId);
        assertThat(session.path("last_error").asText()).as("the rejection stays after the success").isEqualTo("malformed_webhook");
        assertThat(session.path("last_success_at").asLong()).isPositive();
        assertThat(session.path("last_webhook_at").asLong()).isEqualTo(session.path("last_success_at").asLong());
        JsonNode rejection = session.path("last_rejection");
        assertThat(rejection.path("status").asInt()).isEqualTo(400);
        assertThat(rejection.path("code").asText()).isEqualTo("malformed_webhook");
        assertThat(rejection.path("at").asLong()).isPositive().isLessThanOrEqualTo(session.path("last_success_at").asLong());
        JsonNode forged = session.path("refusals").path("bad_signature");
        assertThat(forged.path("status").asInt()).isEqualTo(401);
        assertThat(forged.path("count").asInt()).isEqualTo(1);
        assertThat(forged.path("reason").asText()).startsWith("signature does not match").contains("hmac-sha256-body");
        assertThat(forged.path("last_at").asLong()).isPositive();
    }

    @Test
    void an_unknown_type_gets_a_json_error_and_the_connection_stays() {
        APIGatewayV2WebSocketResponse response = new DefaultRouteHandler().handleRequest(event("websocket/default-unknown-type.json"), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(body(response).path("type").asText()).isEqualTo("error");
        assertThat(body(response).path("code").asText()).isEqualTo("unknown_type");
        assertThat(body(response).path("message").asText()).contains("typing");
    }

    @Test
    void malformed_json_gets_a_json_error_on_every_route_never_an_exception() {
        APIGatewayV2WebSocketEvent malformed = event("websocket/default-malformed.json");
        List<APIGatewayV2WebSocketResponse> answers = List.of(
                new DefaultRouteHandler().handleRequest(malformed, null),
                new SubscribeHandler(dynamo.client(), config).handleRequest(malformed, null));
        APIGatewayV2WebSocketResponse resume = new ResumeHandler(dynamo.client(), Clients::management, config).handleRequest(malformed, null);

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.getStatusCode()).isEqualTo(200);
            assertThat(body(answer).path("code").asText()).isEqualTo("malformed");
        });
        // The resume route has no route response in AWS: its answers are posted to the connection.
        assertThat(resume.getStatusCode()).isEqualTo(200);
        assertThat(api.received(connectionId)).extracting(m -> Json.parse(m).path("code").asText()).containsExactly("malformed");
    }

    @Test
    void resume_posts_every_later_event_of_the_connections_channels_oldest_first_then_the_count() {
        String tenant = "tenant-a";
        registerConnection(dynamo.client(), tenant, connectionId, "messages", "statuses");
        // Resumes since a cursor of a minute ago; the overlap is 10 s.
        long since = System.currentTimeMillis() - 60_000;
        // Far older than since − overlap: not replayed.
        writeEvent(dynamo.client(), tenant, RealtimeFixtures.cursor(since - 30_000), "messages");
        String inOverlap = writeEvent(dynamo.client(), tenant, RealtimeFixtures.cursor(since - 5_000), "messages");
        String later = writeEvent(dynamo.client(), tenant, RealtimeFixtures.cursor(since + 1_000), "statuses");
        writeEvent(dynamo.client(), tenant, RealtimeFixtures.cursor(since + 2_000), "sessions");
        String latest = writeEvent(dynamo.client(), tenant, RealtimeFixtures.cursor(since + 3_000), "messages");
        APIGatewayV2WebSocketEvent resume = event("websocket/resume.json");
        resume.setBody("{\"type\":\"resume\",\"since\":\"" + RealtimeFixtures.cursor(since) + "\"}");

        APIGatewayV2WebSocketResponse response = new ResumeHandler(dynamo.client(), Clients::management, config)
                .handleRequest(resume, null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        List<JsonNode> received = api.received(connectionId).stream().map(Json::parse).toList();
        assertThat(received).extracting(m -> m.path("id").asText()).containsExactly(inOverlap, later, latest, "");
        assertThat(received.get(3).path("type").asText()).isEqualTo("resumed");
        assertThat(received.get(3).path("count").asInt()).isEqualTo(3);
        assertThat(received.get(3).path("complete").asBoolean()).isTrue();
    }

    @Test
    void resume_on_an_unregistered_connection_says_so() {
        APIGatewayV2WebSocketResponse response = new ResumeHandler(dynamo.client(), Clients::management, config)
                .handleRequest(event("websocket/resume.json"), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(api.received(connectionId)).extracting(m -> Json.parse(m).path("code").asText()).containsExactly("not_connected");
    }

    private APIGatewayV2WebSocketEvent event(String fixture) {
        APIGatewayV2WebSocketEvent event = load(fixture, APIGatewayV2WebSocketEvent.class);
        event.getRequestContext().setConnectionId(connectionId);
        if (event.getHeaders() != null) {
            event.setHeaders(new HashMap<>(event.getHeaders()));
        }
        return event;
    }

    private static JsonNode body(APIGatewayV2WebSocketResponse response) {
        return Json.parse(response.getBody());
    }

    private static Map<String, AttributeValue> connectionItem(String tenantId, String connectionId) {
        return dynamo.client().getItem(r -> r.tableName("ConnectionsTable").consistentRead(true).key(Map.of(
                "tenantId", AttributeValue.fromS(tenantId), "connectionId", AttributeValue.fromS(connectionId)))).item();
    }

    private static void putSession(String sessionId, String tenantId, String state, Long lastWebhookAt, String lastError) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of(
                "sessionId", AttributeValue.fromS(sessionId),
                "tenantId", AttributeValue.fromS(tenantId),
                "provider", AttributeValue.fromS("evolution"),
                "signature", AttributeValue.fromS("bearer-jwt"),
                "secrets", AttributeValue.fromL(List.of(AttributeValue.fromS("whsec-very-secret"))),
                "enabled", AttributeValue.fromBool(true),
                "state", AttributeValue.fromS(state)));
        if (lastWebhookAt != null) {
            item.put("lastWebhookAt", AttributeValue.fromN(Long.toString(lastWebhookAt)));
        }
        if (lastError != null) {
            item.put("lastError", AttributeValue.fromS(lastError));
        }
        dynamo.client().putItem(r -> r.tableName("SessionsTable").item(item));
    }
}
