package io.inboxrelay.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.auth.TokenMinter;
import io.inboxrelay.local.LocalStack;
import io.inboxrelay.local.TestSocket;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.store.SessionItems;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code sessions credentials}, {@code connect} and {@code test} against the local stack: a loopback gateway stands in
 * for each provider's registration endpoint (answering as the outbound clients' FakeGateway tests do) and records the
 * exact request; the proof goes through the stack's real webhook route to DynamoDB and the tenant's browsers.
 */
class SessionsConnectCommandTest {

    private static final String SECRET = "connect-test-secret-connect-test-secret-0123456789";
    private static final String API_KEY = "gw-key-" + UUID.randomUUID();
    private static final CliRunner CLI = new CliRunner(Clock.systemUTC(), SECRET);
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(SamTemplate.fromRepository(), LocalStack.Options.ephemeral(SECRET));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static String port() {
        return "--dynamo-port=" + stack.dynamo().endpoint().getPort();
    }

    private static String publicBase() {
        return stack.httpUrl().toString();
    }

    /** A gateway on loopback that records every request and answers each "METHOD /path" as scripted (else 404). */
    static final class LoopbackGateway implements AutoCloseable {
        record Recorded(String method, String path, Map<String, List<String>> headers, String body) {
            JsonNode json() {
                return Json.parse(body);
            }

            String header(String name) {
                return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0))
                        .findFirst().orElse(null);
            }
        }

        final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
        private final HttpServer server;

        LoopbackGateway(Map<String, Object[]> replies) throws Exception {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath();
                requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        Map.copyOf(exchange.getRequestHeaders()), body));
                Object[] reply = replies.getOrDefault(key, new Object[] {404, "{\"message\":\"no route " + key + "\"}"});
                byte[] bytes = ((String) reply[1]).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders((Integer) reply[0], bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static String tenant() {
        return "t-conn-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonNode add(String tenant, String provider, String session) {
        CliRunner.Result added = CLI.run("sessions", "add", "--tenant", tenant, "--provider", provider, "--session", session,
                "--json", port());
        assertThat(added.code()).as(added.err()).isZero();
        return Json.parse(added.out());
    }

    private static CliRunner.Result credentials(String session, String baseUrl) {
        return CLI.runWith(API_KEY + "\n", Map.of(), "sessions", "credentials", "--session", session, "--base-url", baseUrl,
                "--api-key", "-", "--json", port());
    }

    private static Map<String, AttributeValue> rawSession(String session) {
        return stack.dynamo().client().getItem(r -> r.tableName("SessionsTable")
                .key(Map.of(SessionItems.SESSION_ID, AttributeValue.fromS(session)))).item();
    }

    @Test
    void credentials_are_sealed_shown_only_as_base_url_and_has_credential_and_kept_out_of_the_tenant_index() {
        String tenant = tenant();
        String session = "evo-" + UUID.randomUUID().toString().substring(0, 8);
        add(tenant, "evolution", session);

        CliRunner.Result set = credentials(session, "https://evolution.example.com/");
        assertThat(set.code()).as(set.err()).isZero();
        JsonNode gateway = Json.parse(set.out()).path("gateway");
        assertThat(gateway.path("base_url").asText()).isEqualTo("https://evolution.example.com");
        assertThat(gateway.path("has_credential").asBoolean()).isTrue();
        assertThat(set.out()).doesNotContain(API_KEY);

        CliRunner.Result listed = CLI.run("sessions", "list", "--tenant", tenant, "--json", port());
        assertThat(listed.out()).doesNotContain(API_KEY).contains("\"has_credential\":true");
        Map<String, AttributeValue> item = rawSession(session);
        assertThat(item).containsKey(SessionItems.SEALED_GATEWAY_CREDENTIAL);
        assertThat(item.values().toString()).doesNotContain(API_KEY);
        List<Map<String, AttributeValue>> indexed = stack.dynamo().client().query(r -> r.tableName("SessionsTable")
                .indexName(SessionItems.TENANT_INDEX).keyConditionExpression("tenantId = :t")
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenant)))).items();
        assertThat(indexed.get(0)).doesNotContainKey(SessionItems.SEALED_GATEWAY_CREDENTIAL)
                .containsKeys(SessionItems.GATEWAY_BASE_URL, SessionItems.GATEWAY_CREDENTIAL_SET);
    }

    @Test
    void a_base_url_that_is_plain_http_to_another_host_is_refused_with_the_reason() {
        String session = "evo-" + UUID.randomUUID().toString().substring(0, 8);
        add(tenant(), "evolution", session);

        CliRunner.Result refused = credentials(session, "http://evolution.example.com");

        assertThat(refused.code()).isEqualTo(Cli.USAGE);
        assertThat(refused.err()).contains("must be https").contains("localhost or 127.0.0.1");
        assertThat(rawSession(session)).doesNotContainKey(SessionItems.SEALED_GATEWAY_CREDENTIAL);
        CliRunner.Result onTheCommandLine = CLI.run("sessions", "credentials", "--session", session, "--base-url",
                "https://evolution.example.com", "--api-key", API_KEY, port());
        assertThat(onTheCommandLine.code()).isEqualTo(Cli.USAGE);
        assertThat(onTheCommandLine.err()).contains("--api-key takes -");
    }

    @Test
    void connect_registers_at_evolution_with_jwt_key_and_proves_the_path_to_a_connected_browser() throws Exception {
        String tenant = tenant();
        String session = "evo-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = add(tenant, "evolution", session).path("secret").asText();
        try (LoopbackGateway evolution = new LoopbackGateway(Map.of("POST /webhook/set/" + session,
                new Object[] {201, "{\"webhook\":{\"instanceName\":\"" + session + "\",\"webhook\":{\"enabled\":true}}}"}))) {
            assertThat(credentials(session, evolution.baseUrl()).code()).isZero();
            String token = new TokenMinter(SECRET).mint(tenant, "agent-1", Duration.ofMinutes(5));
            try (TestSocket browser = TestSocket.connect(URI.create(stack.webSocketUrl() + "?token=" + token))) {
                awaitBrowsers(tenant, 1);

                CliRunner.Result connected = CLI.run("sessions", "connect", "--session", session, "--url", publicBase(), port());

                assertThat(connected.code()).as(connected.err()).isZero();
                LoopbackGateway.Recorded registration = evolution.requests.get(0);
                assertThat(registration.method()).isEqualTo("POST");
                assertThat(registration.path()).isEqualTo("/webhook/set/" + session);
                assertThat(registration.header("apikey")).isEqualTo(API_KEY);
                JsonNode webhook = registration.json().path("webhook");
                assertThat(webhook.path("enabled").asBoolean()).isTrue();
                assertThat(webhook.path("url").asText()).isEqualTo(publicBase().replaceAll("/+$", "") + "/webhooks/" + session);
                assertThat(webhook.path("headers").path("jwt_key").asText()).isEqualTo(secret);
                assertThat(webhook.path("byEvents").asBoolean()).isFalse();
                assertThat(connected.out()).contains("registered    Evolution instance " + session)
                        .contains("test event    stored (HTTP 200)")
                        .contains("browsers      1 of the tenant connected");
                assertThat(connected.out() + connected.err()).doesNotContain(API_KEY).doesNotContain(secret);
                assertThat(browser.next(Duration.ofSeconds(10))).as("the test event reached the browser").isNotNull();

                CliRunner.Result again = CLI.run("sessions", "test", "--session", session, "--url", publicBase(), "--json", port());
                assertThat(again.code()).as(again.err()).isZero();
                JsonNode proof = Json.parse(again.out()).path("proof");
                assertThat(proof.path("http_status").asInt()).isEqualTo(200);
                assertThat(proof.path("outcome").asText()).isIn("stored", "duplicate");
                assertThat(proof.path("browsers").asInt()).isEqualTo(1);
                assertThat(proof.path("round_trip_ms").asLong()).isGreaterThanOrEqualTo(0);
                assertThat(evolution.requests).as("test does not register again").hasSize(1);
            }
        }
    }

    @Test
    void connect_registers_at_waha_with_the_hmac_key_in_the_session_config() throws Exception {
        String tenant = tenant();
        String session = "waha-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = add(tenant, "waha", session).path("secret").asText();
        try (LoopbackGateway waha = new LoopbackGateway(Map.of(
                "GET /api/sessions/" + session, new Object[] {200, "{\"name\":\"" + session + "\",\"status\":\"WORKING\",\"config\":{}}"},
                "PUT /api/sessions/" + session, new Object[] {200, "{\"name\":\"" + session + "\",\"status\":\"WORKING\"}"}))) {
            assertThat(credentials(session, waha.baseUrl()).code()).isZero();

            CliRunner.Result connected = CLI.run("sessions", "connect", "--session", session, "--url", publicBase(), port());

            assertThat(connected.code()).as(connected.err()).isZero();
            LoopbackGateway.Recorded put = waha.requests.stream().filter(r -> r.method().equals("PUT")).findFirst().orElseThrow();
            assertThat(put.header("X-Api-Key")).isEqualTo(API_KEY);
            JsonNode hook = put.json().path("config").path("webhooks").get(0);
            assertThat(hook.path("url").asText()).endsWith("/webhooks/" + session);
            assertThat(hook.path("hmac").path("key").asText()).isEqualTo(secret);
            assertThat(connected.out()).contains("test event    stored (HTTP 200)").contains("browsers      0 of the tenant connected");
        }
    }

    @Test
    void connect_registers_at_inbox_hub_with_put_webhook() throws Exception {
        String session = "hub-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = add(tenant(), "inboxhub", session).path("secret").asText();
        try (LoopbackGateway hub = new LoopbackGateway(Map.of("PUT /api/sessions/" + session + "/webhook",
                new Object[] {200, "{\"success\":true}"}))) {
            assertThat(credentials(session, hub.baseUrl()).code()).isZero();

            CliRunner.Result connected = CLI.run("sessions", "connect", "--session", session, "--url", publicBase(), port());

            assertThat(connected.code()).as(connected.err()).isZero();
            LoopbackGateway.Recorded put = hub.requests.get(0);
            assertThat(put.header("X-API-Key")).isEqualTo(API_KEY);
            assertThat(put.json().path("url").asText()).endsWith("/webhooks/" + session);
            assertThat(put.json().path("secret").asText()).isEqualTo(secret);
            assertThat(connected.out()).contains("test event    stored (HTTP 200)");
        }
    }

    @Test
    void the_admin_connect_route_registers_and_proves_like_the_command() throws Exception {
        String session = "hub-" + UUID.randomUUID().toString().substring(0, 8);
        add(tenant(), "inboxhub", session);
        try (LoopbackGateway hub = new LoopbackGateway(Map.of("PUT /api/sessions/" + session + "/webhook",
                new Object[] {200, "{\"success\":true}"}))) {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpResponse<String> set = http.send(java.net.http.HttpRequest.newBuilder(
                    stack.httpUrl().resolve("/admin/sessions/" + session + "/gateway")).header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"base_url\":\"" + hub.baseUrl() + "\",\"api_key\":\""
                            + API_KEY + "\"}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);

            java.net.http.HttpResponse<String> connected = http.send(java.net.http.HttpRequest.newBuilder(
                    stack.httpUrl().resolve("/admin/sessions/" + session + "/connect")).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"url\":\"" + publicBase() + "\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());

            assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);
            JsonNode outcome = Json.parse(connected.body());
            assertThat(outcome.path("registration").path("registered").asBoolean()).isTrue();
            assertThat(outcome.path("proof").path("outcome").asText()).isEqualTo("stored");
            assertThat(connected.body()).doesNotContain(API_KEY);
            assertThat(hub.requests).hasSize(1);
        }
    }

    @Test
    void a_gateway_that_refuses_the_key_fails_with_its_reason_and_exit_1() throws Exception {
        String session = "evo-" + UUID.randomUUID().toString().substring(0, 8);
        add(tenant(), "evolution", session);
        try (LoopbackGateway evolution = new LoopbackGateway(Map.of("POST /webhook/set/" + session,
                new Object[] {401, "{\"status\":401,\"error\":\"Unauthorized\",\"response\":{\"message\":\"Unauthorized\"}}"}))) {
            assertThat(credentials(session, evolution.baseUrl()).code()).isZero();

            CliRunner.Result refused = CLI.run("sessions", "connect", "--session", session, "--url", publicBase(), port());

            assertThat(refused.code()).isEqualTo(Cli.FAILURE);
            assertThat(refused.err()).contains("the gateway refused the registration").contains("Unauthorized").doesNotContain(API_KEY);
        }
    }

    @Test
    void a_meta_session_is_told_the_dashboard_steps_with_its_callback_url() {
        String session = "1234567" + (int) (Math.random() * 1000);
        CliRunner.Result added = CLI.run("sessions", "add", "--tenant", tenant(), "--provider", "meta", "--session", session,
                "--verify-token", "v3r1fy-token", "--json", port());
        assertThat(added.code()).as(added.err()).isZero();

        CliRunner.Result connected = CLI.run("sessions", "connect", "--session", session, "--url", publicBase(), port());

        assertThat(connected.code()).isEqualTo(Cli.FAILURE);
        assertThat(connected.out()).contains("not registered").contains("Meta app dashboard").contains("/webhooks/" + session)
                .contains("Verify token");
    }

    @Test
    void connect_without_credentials_says_how_to_set_them() {
        String session = "evo-" + UUID.randomUUID().toString().substring(0, 8);
        add(tenant(), "evolution", session);

        CliRunner.Result refused = CLI.run("sessions", "connect", "--session", session, "--url", publicBase(), port());

        assertThat(refused.code()).isEqualTo(Cli.USAGE);
        assertThat(refused.err()).contains("no gateway credentials").contains("sessions credentials");
    }

    private static void awaitBrowsers(String tenant, int count) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            int connected = stack.dynamo().client().query(r -> r.tableName("ConnectionsTable").keyConditionExpression("tenantId = :t")
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenant)))).count();
            if (connected >= count) {
                return;
            }
            java.util.concurrent.TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new AssertionError("no browser of " + tenant + " connected in time");
    }
}
