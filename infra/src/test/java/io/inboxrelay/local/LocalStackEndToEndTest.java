package io.inboxrelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.auth.TokenMinter;
import io.inboxrelay.core.signature.WebhookSigner;
import io.inboxrelay.local.template.SamTemplate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The repository's template and handlers on the local stack, driven as a gateway and browsers would. */
class LocalStackEndToEndTest {

    private static final String SECRET = "end-to-end-secret-end-to-end-secret-0123456789";
    private static LocalStack stack;
    private static DemoTenant demo;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(SamTemplate.fromRepository(), LocalStack.Options.ephemeral(SECRET));
        demo = DemoTenant.seed(stack);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static TestSocket browser(String tenant, String user) throws Exception {
        String token = new TokenMinter(SECRET).mint(tenant, user, Duration.ofMinutes(10));
        return TestSocket.connect(URI.create(stack.webSocketUrl() + "?token=" + token));
    }

    private static JsonNode nextOfType(TestSocket socket, String type) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            String message = socket.next(Duration.ofMillis(200));
            if (message != null && type.equals(Json.parse(message).path("type").asText())) {
                return Json.parse(message);
            }
        }
        return null;
    }

    @Test
    void a_signed_webhook_reaches_every_connected_browser_of_its_tenant_and_no_other() throws Exception {
        try (TestSocket agent1 = browser(demo.tenantId(), "agent-1");
             TestSocket agent2 = browser(demo.tenantId(), "agent-2");
             TestSocket stranger = browser("another-tenant", "agent-3")) {
            byte[] body = DemoTenant.sampleWebhook(Instant.now());
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.httpUrl() + "/webhooks/" + demo.sessionId()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            WebhookSigner.hmacSha256BodyOnly(demo.secret(), body).forEach(request::header);
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(Json.parse(response.body()).path("status").asText()).isEqualTo("stored");

            for (TestSocket agent : new TestSocket[] {agent1, agent2}) {
                JsonNode event = nextOfType(agent, "new_message");
                assertThat(event).as("new_message pushed to the tenant's browser").isNotNull();
                assertThat(event.path("tenant_id").asText()).isEqualTo(demo.tenantId());
                assertThat(event.path("message").path("content").asText()).isEqualTo("Hello from the local stack");
            }
            assertThat(stranger.received).noneMatch(message -> message.contains("Hello from the local stack"));
        }
    }

    @Test
    void a_badly_signed_webhook_is_refused_401() throws Exception {
        byte[] body = DemoTenant.sampleWebhook(Instant.now());
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stack.httpUrl() + "/webhooks/" + demo.sessionId()))
                        .header("Content-Type", "application/json").header("X-Webhook-Signature", "sha256=" + "0".repeat(64))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void ping_is_answered_pong_through_the_real_route() throws Exception {
        try (TestSocket agent = browser(demo.tenantId(), "agent-1")) {
            agent.send("{\"type\":\"ping\"}");
            assertThat(nextOfType(agent, "pong")).isNotNull();
        }
    }
}
