package io.inboxrelay.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.admin.SessionAdmin;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.outbound.Credential;
import io.inboxrelay.core.outbound.GatewayClient;
import io.inboxrelay.core.outbound.GatewayClients;
import io.inboxrelay.core.outbound.GatewayConnection;
import io.inboxrelay.core.outbound.GatewayException;
import io.inboxrelay.core.outbound.GatewayFailure.Kind;
import io.inboxrelay.core.outbound.GatewayHttp;
import io.inboxrelay.core.outbound.MediaLimits;
import io.inboxrelay.core.outbound.RetryPolicy;
import io.inboxrelay.core.outbound.SendResult;
import io.inboxrelay.local.LocalStack;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.store.DynamoSessionRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The simulator's scripted failures (docs/OUTBOUND.md §7, contract F) as the real clients see them: a recipient's
 * last four digits choose the failure, each gateway answers it in its own error shape, and the client's
 * {@code GatewayFailure.Kind} is the one the sender acts on. Its control endpoints switch echo-first and list the calls.
 */
class GatewaySimulatorScriptingTest {

    private static final String JWT = "simulator-scripting-secret-0123456789abcdef";
    private static final Map<Provider, String> GATEWAY_SESSION = Map.of(
            Provider.EVOLUTION, "acme-sales", Provider.WAHA, "default", Provider.META, "106540352242922",
            Provider.INBOX_HUB, "sim-bridge");
    /** Retries within a call, as the sender's clients do. */
    private static final GatewayClients RETRYING = new GatewayClients(GatewayHttp.createDefault(), MediaLimits.MAX_PROXY_BYTES);
    /** One attempt per call: each scripted attempt is seen as the outbox's own retries would see it. */
    private static final GatewayClients ONCE = new GatewayClients(
            GatewayHttp.create(Duration.ofSeconds(3), Duration.ofSeconds(10), RetryPolicy.NEVER), MediaLimits.MAX_PROXY_BYTES);
    private static final GatewayClients IMPATIENT = new GatewayClients(
            GatewayHttp.create(Duration.ofSeconds(3), Duration.ofSeconds(2), RetryPolicy.NEVER), MediaLimits.MAX_PROXY_BYTES);

    private static LocalStack stack;
    private static GatewaySimulator simulator;
    private static SessionAdmin admin;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        stack = LocalStack.start(SamTemplate.fromRepository(), LocalStack.Options.ephemeral(JWT));
        admin = new SessionAdmin(new DynamoSessionRegistry(stack.dynamo().client(), "SessionsTable"), Clock.systemUTC());
        simulator = GatewaySimulator.start(0, GatewaySimulator.Options.defaults().withReceiptDelay(Duration.ofMillis(100)));
    }

    @AfterAll
    static void stop() {
        simulator.close();
        stack.close();
    }

    /** A lead's number (E.164) whose last four digits are {@code suffix}. */
    private static String lead(String suffix) {
        return "+5511" + (10_000 + ThreadLocalRandom.current().nextInt(90_000)) + suffix;
    }

    private static GatewayClient client(GatewayClients clients, Provider provider) {
        return clients.forConnection(new GatewayConnection(provider, simulator.baseUrl(provider), Credential.of(simulator.apiKey()),
                GATEWAY_SESSION.get(provider), null));
    }

    /** A tenant's session on the stack, the simulated gateway session posting to its webhook URL. */
    private static String wire(Provider provider) {
        String tenant = "t-" + UUID.randomUUID();
        SessionAdmin.Created created = admin.create(new SessionAdmin.NewSession(tenant, null, provider.wireName(), null, null,
                provider == Provider.META ? "verify-" + UUID.randomUUID() : null, null));
        simulator.registerSession(provider, GATEWAY_SESSION.get(provider), stack.httpUrl() + "/webhooks/" + created.session().sessionId(),
                created.secret(), SignatureKind.defaultFor(provider));
        return tenant;
    }

    private static GatewayException sendFails(GatewayClients clients, Provider provider, String to) {
        return catchThrowableOfType(GatewayException.class, () -> client(clients, provider).sendText(to, "Olá " + UUID.randomUUID(), null));
    }

    private static HttpResponse<String> control(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.url() + "/_simulator/" + path))
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"EVOLUTION", "META", "INBOX_HUB"})
    void a_number_ending_0000_is_not_on_whatsapp_and_is_not_retried(Provider provider) {
        String to = lead("0000");
        int before = simulator.calls().size();
        GatewayException failure = sendFails(RETRYING, provider, to);
        assertThat(failure.failure().kind()).isEqualTo(Kind.NOT_ON_WHATSAPP);
        assertThat(failure.retryable()).isFalse();
        assertThat(simulator.calls().subList(before, simulator.calls().size())).hasSize(1);
    }

    @Test
    void waha_answers_a_number_ending_0000_with_its_engine_s_500_as_real_waha_does() {
        // WAHA has no error of its own for a number without WhatsApp: the engine's error surfaces as an unhandled 500
        // (devlikeapro/waha#2094). The WAHA client reads any 5xx as UNAVAILABLE, so the outbox retries it: see the report.
        GatewayException failure = sendFails(ONCE, Provider.WAHA, lead("0000"));
        assertThat(failure.failure().httpStatus()).isEqualTo(500);
        assertThat(failure.failure().reason()).contains("No LID for user");
    }

    @Test
    void meta_answers_a_number_ending_1047_with_131047_outside_the_24_hour_window() {
        GatewayException failure = sendFails(RETRYING, Provider.META, lead("1047"));
        assertThat(failure.failure().kind()).isEqualTo(Kind.OUTSIDE_WINDOW);
        assertThat(failure.failure().code()).isEqualTo("131047");
        assertThat(failure.retryable()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"EVOLUTION", "WAHA", "INBOX_HUB"})
    void other_gateways_answer_a_number_ending_1047_with_a_400_giving_the_24_hour_reason(Provider provider) {
        GatewayException failure = sendFails(RETRYING, provider, lead("1047"));
        assertThat(failure.failure().httpStatus()).isEqualTo(400);
        assertThat(failure.failure().kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure.failure().reason()).contains("more than 24 hours have passed");
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void a_number_ending_0429_is_rate_limited_with_retry_after_1_on_the_first_attempt_and_sent_on_the_retry(Provider provider) {
        String to = lead("0429");
        GatewayClient client = client(ONCE, provider);
        GatewayException first = catchThrowableOfType(GatewayException.class, () -> client.sendText(to, "same text", null));
        assertThat(first.failure().kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(first.failure().retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(client.sendText(to, "same text", null).messageId()).isNotBlank();
        // A client that retries within the call waits the second out and gets the id from its one call.
        assertThat(client(RETRYING, provider).sendText(to, "another text", null).messageId()).isNotBlank();
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void a_number_ending_0503_is_unavailable_twice_and_then_sent(Provider provider) {
        String to = lead("0503");
        GatewayClient client = client(ONCE, provider);
        for (int attempt = 1; attempt <= 2; attempt++) {
            GatewayException failure = catchThrowableOfType(GatewayException.class, () -> client.sendText(to, "same text", null));
            assertThat(failure.failure().kind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(failure.failure().httpStatus()).isEqualTo(503);
            assertThat(failure.retryable()).isTrue();
        }
        assertThat(client.sendText(to, "same text", null).messageId()).isNotBlank();
        int before = simulator.calls().size();
        assertThat(client(RETRYING, provider).sendText(to, "another text", null).messageId()).isNotBlank();
        assertThat(simulator.calls().subList(before, simulator.calls().size())).extracting(RecordedCall::status)
                .containsExactly(503, 503, provider == Provider.META ? 200 : 201);
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void a_number_ending_0401_meets_a_session_that_is_not_connected(Provider provider) {
        GatewayException failure = sendFails(RETRYING, provider, lead("0401"));
        assertThat(failure.failure().kind()).isEqualTo(Kind.SESSION_NOT_CONNECTED);
        assertThat(failure.retryable()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void a_number_ending_0408_times_the_client_out_but_the_message_is_still_sent_and_echoed(Provider provider) {
        wire(provider);
        String to = lead("0408");
        GatewayException failure = sendFails(IMPATIENT, provider, to);
        assertThat(failure.failure().kind()).isEqualTo(Kind.TIMEOUT);
        String digits = to.substring(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> simulator.deliveries().stream()
                .anyMatch(delivery -> delivery.body().contains(digits) && delivery.status() == 200));
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"EVOLUTION", "WAHA", "INBOX_HUB"})
    void with_echo_first_the_echo_is_stored_before_the_send_is_answered(Provider provider) throws Exception {
        String tenant = wire(provider);
        assertThat(control("POST", "options", "{\"echo_first\":true}").body()).contains("\"echo_first\":true");
        try {
            SendResult sent = client(RETRYING, provider).sendText(lead("7777"), "echo first " + UUID.randomUUID(), null);
            String bare = sent.messageId().substring(sent.messageId().lastIndexOf('_') + 1);
            assertThat(simulator.deliveries()).filteredOn(delivery -> delivery.body().contains(bare)).first()
                    .satisfies(echo -> assertThat(echo.status()).isEqualTo(200));
            List<Map<String, AttributeValue>> stored = stack.dynamo().client().scanPaginator(r -> r.tableName("MessagesTable")
                    .consistentRead(true)).items().stream()
                    .filter(item -> item.get("pk").s().startsWith(tenant + "#") && item.containsKey("providerMessageId")
                            && item.get("providerMessageId").s().endsWith(bare))
                    .toList();
            assertThat(stored).singleElement().satisfies(item -> assertThat(item.get("direction").s()).isEqualTo("agent"));
        } finally {
            control("POST", "options", "{\"echo_first\":false}");
        }
    }

    @Test
    void meta_with_echo_first_has_posted_the_sent_status_when_the_send_is_answered() throws Exception {
        wire(Provider.META);
        control("POST", "options", "{\"echo_first\":true}");
        try {
            SendResult sent = client(RETRYING, Provider.META).sendText(lead("7777"), "hola", null);
            assertThat(simulator.deliveries()).filteredOn(delivery -> delivery.body().contains(sent.messageId())).singleElement()
                    .satisfies(status -> {
                        assertThat(status.body()).contains("\"status\":\"sent\"");
                        assertThat(status.status()).isEqualTo(200);
                    });
        } finally {
            control("POST", "options", "{\"echo_first\":false}");
        }
    }

    @Test
    void the_options_endpoint_changes_the_receipt_delay_and_refuses_what_it_cannot_use() throws Exception {
        HttpResponse<String> changed = control("POST", "options", "{\"receipt_delay_ms\":250}");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(Json.parse(changed.body()).path("receipt_delay_ms").asLong()).isEqualTo(250);
        assertThat(simulator.options().receiptDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(Json.parse(control("GET", "options", null).body()).path("echo_first").asBoolean(true)).isFalse();
        HttpResponse<String> refused = control("POST", "options", "{\"receipt_delay_ms\":-5,\"echo_first\":\"yes\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(Json.parse(refused.body()).path("error").asText()).isNotBlank();
        assertThat(simulator.options().receiptDelay()).isEqualTo(Duration.ofMillis(250));
        control("POST", "options", "{\"receipt_delay_ms\":100}");
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void the_calls_endpoint_lists_a_mark_read_with_its_message_ids_and_never_the_api_key(Provider provider) throws Exception {
        String id = "3EB0" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
        client(RETRYING, provider).markRead(lead("4321"), List.of(id));
        HttpResponse<String> response = control("GET", "calls", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain(simulator.apiKey());
        JsonNode read = null;
        for (JsonNode call : Json.parse(response.body()).path("calls")) {
            if (call.path("operation").asText().equals("read") && call.path("message_ids").toString().contains(id)) {
                read = call;
            }
        }
        assertThat(read).as("the mark-read call").isNotNull();
        assertThat(read.path("provider").asText()).isEqualTo(provider.wireName());
        assertThat(read.path("message_ids")).extracting(JsonNode::asText).containsExactly(id);
        assertThat(read.path("status").asInt() / 100).isEqualTo(2);
    }

    @Test
    void a_browser_cannot_reach_the_control_endpoints() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(simulator.url() + "/_simulator/options"))
                .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.ofString("{\"echo_first\":true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(simulator.options().echoFirst()).isFalse();
    }
}
