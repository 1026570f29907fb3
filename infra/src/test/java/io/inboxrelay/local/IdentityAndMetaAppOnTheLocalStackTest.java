package io.inboxrelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.admin.SessionAdmin;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.auth.TokenMinter;
import io.inboxrelay.core.signature.WebhookSigner;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.store.DynamoSessionRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's integration proofs through the repository's template on the local stack: HTTP webhooks in,
 * WebSocket events and the read API out, as a gateway and a browser see them.
 */
class IdentityAndMetaAppOnTheLocalStackTest {

    private static final String JWT = "identity-local-stack-secret-0123456789abcdef";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalStack stack;
    private static SessionAdmin admin;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(SamTemplate.fromRepository(), LocalStack.Options.ephemeral(JWT));
        admin = new SessionAdmin(new DynamoSessionRegistry(stack.dynamo().client(), "SessionsTable"), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void an_lid_conversation_and_its_phone_twin_end_as_one_conversation_in_the_browser() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        SessionAdmin.Created session = admin.create(new SessionAdmin.NewSession(tenant, null, "inboxhub", "hmac-sha256", null, null, null));
        String sessionId = session.session().sessionId();
        try (TestSocket browser = browser(tenant)) {
            long at = Instant.now().getEpochSecond();
            assertThat(post(sessionId, session.secret(), inboxHub("TW1", "\"from\":\"204936527069362@lid\",\"name\":\"Ana\"", at)))
                    .isEqualTo("stored");
            JsonNode first = nextOfType(browser, "new_message");
            assertThat(first.path("conversation_id").asText()).isEqualTo("lid:204936527069362");

            // WAHA sends the same message again under the phone JID: a duplicate that teaches the pair.
            assertThat(post(sessionId, session.secret(), inboxHub("TW1", "\"from\":\"5511987654321@c.us\"", at)))
                    .isEqualTo("duplicate");

            JsonNode merged = nextOfType(browser, "conversation_merged");
            assertThat(merged).as("the browser is told").isNotNull();
            assertThat(merged.path("from").asText()).isEqualTo("lid:204936527069362");
            assertThat(merged.path("into").asText()).isEqualTo("5511987654321");
            JsonNode updated = nextOfType(browser, "conversation_updated", "5511987654321");
            assertThat(updated.path("unread_count").asInt()).isEqualTo(1);
            assertThat(updated.path("name").asText()).isEqualTo("Ana");

            JsonNode list = readApi(tenant, "/api/conversations");
            List<String> ids = new ArrayList<>();
            list.path("conversations").forEach(conversation -> ids.add(conversation.path("conversation_id").asText()));
            assertThat(ids).containsExactly("5511987654321");
            JsonNode messages = readApi(tenant, "/api/conversations/5511987654321/messages");
            assertThat(messages.path("messages")).hasSize(1);
            assertThat(messages.path("messages").get(0).path("id").asText()).isEqualTo("TW1");
        }
    }

    @Test
    void a_multi_tenant_meta_app_endpoint_never_stores_a_change_under_the_wrong_tenant() throws Exception {
        String app = "9" + Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L);
        String appSecret = "meta-app-secret-0123456789abcdef";
        String acme = "acme-" + UUID.randomUUID();
        String bravo = "bravo-" + UUID.randomUUID();
        String numberA = "1" + app;
        String numberB = "2" + app;
        String endpoint = "meta-app-" + app;
        admin.create(new SessionAdmin.NewSession("vendor-ops", endpoint, "meta", null, appSecret, "verify-me", null, app));
        admin.create(new SessionAdmin.NewSession(acme, numberA, "meta", null, null, null, null, app));
        admin.create(new SessionAdmin.NewSession(bravo, numberB, "meta", null, null, null, null, app));

        try (TestSocket acmeBrowser = browser(acme); TestSocket bravoBrowser = browser(bravo); TestSocket vendor = browser("vendor-ops")) {
            byte[] delivery = meta(change(numberA, "wamid.ACME"), change(numberB, "wamid.BRAVO"), change("3" + app, "wamid.NOBODY"));
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.httpUrl() + "/webhooks/" + endpoint))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(delivery));
            WebhookSigner.sign(SignatureKind.META, appSecret, delivery, Instant.now()).forEach(request::header);
            HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(Json.parse(answer.body()).path("refused").asInt()).isEqualTo(1);
            assertThat(nextOfType(acmeBrowser, "new_message").path("message").path("id").asText()).isEqualTo("wamid.ACME");
            assertThat(nextOfType(bravoBrowser, "new_message").path("message").path("id").asText()).isEqualTo("wamid.BRAVO");
            assertThat(acmeBrowser.received).noneMatch(message -> message.contains("wamid.BRAVO") || message.contains("wamid.NOBODY"));
            assertThat(bravoBrowser.received).noneMatch(message -> message.contains("wamid.ACME") || message.contains("wamid.NOBODY"));
            assertThat(vendor.received).noneMatch(message -> message.contains("wamid."));
            assertThat(readApi(acme, "/api/conversations").path("conversations")).hasSize(1);
            assertThat(readApi(bravo, "/api/conversations").path("conversations")).hasSize(1);
            assertThat(readApi("vendor-ops", "/api/conversations").path("conversations")).isEmpty();
        }
        assertThat(admin.get(endpoint).refusals().get("foreign_number").count()).isEqualTo(1);

        HttpResponse<String> handshake = HTTP.send(HttpRequest.newBuilder(URI.create(stack.httpUrl() + "/webhooks/" + endpoint
                + "?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(handshake.statusCode()).isEqualTo(200);
        assertThat(handshake.body()).isEqualTo("1158201444");
    }

    private static TestSocket browser(String tenant) throws Exception {
        String token = new TokenMinter(JWT).mint(tenant, "agent", Duration.ofMinutes(10));
        return TestSocket.connect(URI.create(stack.webSocketUrl() + "?token=" + token));
    }

    private static JsonNode readApi(String tenant, String path) throws Exception {
        String token = new TokenMinter(JWT).mint(tenant, "agent", Duration.ofMinutes(10));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.httpUrl() + path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.parse(response.body());
    }

    private static String post(String sessionId, String secret, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.httpUrl() + "/webhooks/" + sessionId))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        WebhookSigner.hmacSha256BodyOnly(secret, body).forEach(request::header);
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.parse(response.body()).path("status").asText();
    }

    private static byte[] inboxHub(String id, String fields, long at) {
        return ("{\"event\":\"message.received\",\"timestamp\":" + at + ",\"message\":{\"id\":\"" + id + "\"," + fields
                + ",\"text\":\"do you deliver?\",\"timestamp\":" + at + "}}").getBytes(StandardCharsets.UTF_8);
    }

    private static String change(String phoneNumberId, String messageId) {
        return "{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550000000\","
                + "\"phone_number_id\":\"" + phoneNumberId + "\"},\"contacts\":[{\"profile\":{\"name\":\"Lead\"},\"wa_id\":\"573001234567\"}],"
                + "\"messages\":[{\"from\":\"573001234567\",\"id\":\"" + messageId + "\",\"timestamp\":\"" + Instant.now().getEpochSecond()
                + "\",\"text\":{\"body\":\"hello\"},\"type\":\"text\"}]}}";
    }

    private static byte[] meta(String... changes) {
        return ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":["
                + String.join(",", changes) + "]}]}").getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode nextOfType(TestSocket socket, String type) throws InterruptedException {
        return nextOfType(socket, type, null);
    }

    /** The next event of a type (and conversation), waiting up to 30 s: the local stream poller delivers it. */
    private static JsonNode nextOfType(TestSocket socket, String type, String conversationId) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            String message = socket.next(Duration.ofMillis(200));
            if (message == null) {
                continue;
            }
            JsonNode event = Json.parse(message);
            if (type.equals(event.path("type").asText())
                    && (conversationId == null || conversationId.equals(event.path("conversation_id").asText()))) {
                return event;
            }
        }
        throw new AssertionError("no " + type + " within 30 s");
    }
}
