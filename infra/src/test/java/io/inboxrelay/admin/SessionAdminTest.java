package io.inboxrelay.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.handler.AdminHandler;
import io.inboxrelay.handler.WebhookHandler;
import io.inboxrelay.local.LocalDynamo;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.store.DynamoSessionRegistry;
import io.inboxrelay.testing.HttpApiEvents;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Registering, rotating and disabling sessions, through the admin route as an operator would. */
class SessionAdminTest {

    private static LocalDynamo dynamo;
    private static AdminHandler admin;
    private static WebhookHandler webhooks;
    private static Config config;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.startInMemory().createTables(SamTemplate.fromRepository());
        java.util.Map<String, String> env = new java.util.HashMap<>(dynamo.environment());
        // As on the local stack: a change acts at once. In AWS a warm webhook container keeps a session up to
        // SESSION_CACHE_SECONDS; CachedSessionRegistryTest holds that bound.
        env.put("SESSION_CACHE_SECONDS", "0");
        config = Config.from(env);
        admin = new AdminHandler(dynamo.client(), config, Clock.systemUTC());
        webhooks = new WebhookHandler(dynamo.client(), config, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    void a_new_session_shows_its_secret_once_and_never_in_listings() {
        String tenant = "t-" + UUID.randomUUID();
        APIGatewayV2HTTPResponse created = call("POST /admin/sessions", null,
                "{\"tenant_id\":\"" + tenant + "\",\"provider\":\"waha\"}");
        assertThat(created.getStatusCode()).isEqualTo(201);
        JsonNode session = Json.parse(created.getBody());
        String secret = session.path("secret").asText();
        assertThat(secret).hasSizeGreaterThan(30);
        assertThat(session.path("signature").asText()).isEqualTo("waha-hmac-sha512");

        APIGatewayV2HTTPEvent list = event("GET /admin/sessions", null, null);
        list.setQueryStringParameters(Map.of("tenant_id", tenant));
        APIGatewayV2HTTPResponse listed = admin.handleRequest(list, null);
        assertThat(listed.getStatusCode()).isEqualTo(200);
        assertThat(Json.parse(listed.getBody()).path("sessions")).hasSize(1);
        assertThat(listed.getBody()).doesNotContain(secret).doesNotContain("\"secret\"");

        APIGatewayV2HTTPResponse shown = call("GET /admin/sessions/{sessionId}", session.path("session_id").asText(), null);
        assertThat(shown.getBody()).doesNotContain(secret);
    }

    @Test
    void after_a_rotation_both_secrets_verify_and_after_the_next_the_oldest_no_longer_does() {
        String sessionId = createInboxHub();
        String first = registry().find(sessionId).orElseThrow().secrets().get(0);
        String second = Json.parse(call("POST /admin/sessions/{sessionId}/rotate", sessionId, null).getBody()).path("secret").asText();

        assertThat(post(sessionId, first, "R1")).isEqualTo(200);
        assertThat(post(sessionId, second, "R2")).isEqualTo(200);

        String third = Json.parse(call("POST /admin/sessions/{sessionId}/rotate", sessionId, "{\"secret\":\"my-own-secret-value-0123456789abcdef\"}")
                .getBody()).path("secret").asText();
        assertThat(third).isEqualTo("my-own-secret-value-0123456789abcdef");
        assertThat(post(sessionId, first, "R3")).isEqualTo(401);
        assertThat(post(sessionId, second, "R4")).isEqualTo(200);
        assertThat(post(sessionId, third, "R5")).isEqualTo(200);
    }

    @Test
    void rotating_with_revoke_previous_stops_the_leaked_secret_at_once_and_a_weak_secret_is_refused_400() {
        String sessionId = createInboxHub();
        String leaked = registry().find(sessionId).orElseThrow().secrets().get(0);

        APIGatewayV2HTTPResponse weak = call("POST /admin/sessions/{sessionId}/rotate", sessionId, "{\"secret\":\"too-short\"}");
        assertThat(weak.getStatusCode()).isEqualTo(400);
        assertThat(Json.parse(weak.getBody()).path("message").asText()).contains("at least 32 bytes");
        assertThat(post(sessionId, leaked, "L0")).as("a refused rotation changes nothing").isEqualTo(200);

        String fresh = Json.parse(call("POST /admin/sessions/{sessionId}/rotate", sessionId, "{\"revoke_previous\":true}").getBody())
                .path("secret").asText();

        assertThat(post(sessionId, leaked, "L1")).isEqualTo(401);
        assertThat(post(sessionId, fresh, "L2")).isEqualTo(200);
        assertThat(registry().find(sessionId).orElseThrow().secrets()).containsExactly(fresh);
    }

    @Test
    void a_disabled_session_is_refused_at_once_and_enabling_it_restores_it() {
        String sessionId = createInboxHub();
        String secret = registry().find(sessionId).orElseThrow().secrets().get(0);
        assertThat(Json.parse(call("POST /admin/sessions/{sessionId}/disable", sessionId, null).getBody()).path("enabled").asBoolean())
                .isFalse();
        assertThat(post(sessionId, secret, "D1")).isEqualTo(404);
        call("POST /admin/sessions/{sessionId}/enable", sessionId, null);
        assertThat(post(sessionId, secret, "D2")).isEqualTo(200);
    }

    @Test
    void the_session_json_shows_the_last_rejection_beside_a_later_success_and_counts_forged_requests_apart() {
        String sessionId = createInboxHub();
        String secret = registry().find(sessionId).orElseThrow().secrets().get(0);
        byte[] notJson = "not json".getBytes(StandardCharsets.UTF_8);
        assertThat(webhooks.handleRequest(HttpApiEvents.signedWebhook(sessionId, notJson, SignatureKind.HMAC_SHA256, secret), null)
                .getStatusCode()).isEqualTo(400);
        assertThat(post(sessionId, "not-the-secret", "H1")).isEqualTo(401);
        assertThat(post(sessionId, secret, "H2")).isEqualTo(200);

        JsonNode shown = Json.parse(call("GET /admin/sessions/{sessionId}", sessionId, null).getBody());
        assertThat(shown.path("last_error").asText()).isEqualTo("malformed_json");
        assertThat(shown.path("last_success_at").asText()).isNotBlank();
        assertThat(shown.path("last_webhook_at").asText()).isEqualTo(shown.path("last_success_at").asText());
        JsonNode rejection = shown.path("last_rejection");
        assertThat(rejection.path("status").asInt()).isEqualTo(400);
        assertThat(rejection.path("code").asText()).isEqualTo("malformed_json");
        assertThat(Instant.parse(rejection.path("at").asText())).isBeforeOrEqualTo(Instant.parse(shown.path("last_success_at").asText()));
        JsonNode forged = shown.path("refusals").path("bad_signature");
        assertThat(forged.path("status").asInt()).isEqualTo(401);
        assertThat(forged.path("count").asInt()).isEqualTo(1);
        assertThat(forged.path("reason").asText()).startsWith("signature does not match").contains("hmac-sha256-body");
        assertThat(forged.path("last_at").asText()).isNotBlank();

        APIGatewayV2HTTPEvent list = event("GET /admin/sessions", null, null);
        list.setQueryStringParameters(Map.of("tenant_id", registry().find(sessionId).orElseThrow().tenantId()));
        JsonNode listed = Json.parse(admin.handleRequest(list, null).getBody()).path("sessions").get(0);
        assertThat(listed.path("last_rejection")).isEqualTo(rejection);
        assertThat(listed.path("last_success_at")).isEqualTo(shown.path("last_success_at"));
    }

    @Test
    void bad_registrations_are_refused_with_what_is_wrong() {
        assertThat(call("POST /admin/sessions", null, "{\"tenant_id\":\"t\",\"provider\":\"telegram\"}").getBody())
                .contains("unknown provider");
        assertThat(call("POST /admin/sessions", null, "{\"tenant_id\":\"t\",\"provider\":\"meta\"}").getBody())
                .contains("verify token");
        APIGatewayV2HTTPResponse badCidr = call("POST /admin/sessions", null,
                "{\"tenant_id\":\"t\",\"provider\":\"waha\",\"allowed_cidrs\":[\"10.0.0.0/99\"]}");
        assertThat(badCidr.getStatusCode()).isEqualTo(400);
        assertThat(call("POST /admin/sessions", null, "{\"provider\":\"waha\"}").getStatusCode()).isEqualTo(400);
        assertThat(call("POST /admin/sessions", null, "not json").getStatusCode()).isEqualTo(400);

        String sessionId = createInboxHub();
        APIGatewayV2HTTPResponse taken = call("POST /admin/sessions", null,
                "{\"tenant_id\":\"t\",\"provider\":\"waha\",\"session_id\":\"" + sessionId + "\"}");
        assertThat(taken.getStatusCode()).isEqualTo(400);
        assertThat(taken.getBody()).contains("already exists");
        assertThat(call("POST /admin/sessions/{sessionId}/rotate", "nope-" + UUID.randomUUID(), null).getStatusCode()).isEqualTo(404);
    }

    private static String createInboxHub() {
        APIGatewayV2HTTPResponse created = call("POST /admin/sessions", null,
                "{\"tenant_id\":\"t-" + UUID.randomUUID() + "\",\"provider\":\"inboxhub\"}");
        assertThat(created.getStatusCode()).isEqualTo(201);
        return Json.parse(created.getBody()).path("session_id").asText();
    }

    private static int post(String sessionId, String secret, String messageId) {
        byte[] body = ("{\"event\":\"message.received\",\"message\":{\"id\":\"" + messageId
                + "\",\"from\":\"+573001234567\",\"text\":\"hi\"}}").getBytes(StandardCharsets.UTF_8);
        return webhooks.handleRequest(HttpApiEvents.signedWebhook(sessionId, body, SignatureKind.HMAC_SHA256, secret), null).getStatusCode();
    }

    private static APIGatewayV2HTTPResponse call(String routeKey, String sessionId, String body) {
        return admin.handleRequest(event(routeKey, sessionId, body), null);
    }

    private static APIGatewayV2HTTPEvent event(String routeKey, String sessionId, String body) {
        return APIGatewayV2HTTPEvent.builder()
                .withRouteKey(routeKey)
                .withPathParameters(sessionId == null ? null : Map.of("sessionId", sessionId))
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
    }

    private static DynamoSessionRegistry registry() {
        return new DynamoSessionRegistry(dynamo.client(), config.sessionsTable());
    }
}
