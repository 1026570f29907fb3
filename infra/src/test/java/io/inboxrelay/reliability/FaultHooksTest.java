package io.inboxrelay.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboxrelay.core.Provider;
import io.inboxrelay.local.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The local stack's fault-injection hooks do what the reliability tests rely on, and undo it. */
class FaultHooksTest {

    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = ReliabilityStack.start();
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static HttpResponse<String> postToConnection(String connectionId) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.managementEndpoint() + "/@connections/" + connectionId))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void injected_management_errors_are_answered_with_the_aws_error_type_and_removing_the_fault_heals() throws Exception {
        stack.webSocketApi().orElseThrow().injectPostFault(id -> switch (id) {
            case "gone" -> 410;
            case "busy" -> 429;
            default -> 500;
        });
        try {
            assertThat(List.of(postToConnection("gone"), postToConnection("busy"), postToConnection("broken")))
                    .extracting(HttpResponse::statusCode, r -> r.headers().firstValue("x-amzn-ErrorType").orElse(""))
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(410, "GoneException"),
                            org.assertj.core.groups.Tuple.tuple(429, "LimitExceededException"),
                            org.assertj.core.groups.Tuple.tuple(500, "InternalServerErrorException"));
        } finally {
            stack.webSocketApi().orElseThrow().injectPostFault(null);
        }
        // Without the fault an unknown connection is simply gone, as before.
        assertThat(postToConnection("busy").statusCode()).isEqualTo(410);
    }

    @Test
    void a_function_failing_after_running_keeps_its_effects_and_the_gateways_retry_is_a_duplicate() {
        GatewaySession session = GatewaySession.register(ReliabilityStack.registry(stack), "t-hooks", Provider.INBOX_HUB);
        Gateway gateway = new Gateway(stack.httpUrl(), Executors.newSingleThreadExecutor(), 1);
        Instant now = Instant.now();
        byte[] body = session.message(1, 1, now);

        stack.function("WebhookFunction").failNext(1, true);
        Gateway.Answer crashed = gateway.postAndWait(session.sessionId(), body, session.sign(body, now));
        Gateway.Answer retried = gateway.postAndWait(session.sessionId(), body, session.sign(body, now));

        assertThat(crashed.status()).isEqualTo(500);
        assertThat(retried).extracting(Gateway.Answer::status, Gateway.Answer::outcome).containsExactly(200, "duplicate");
        assertThat(ReliabilityStack.storedMessages(stack).get("t-hooks")).containsOnlyKeys(session.messageId(1));
        assertThat(stack.function("WebhookFunction").injectedFailuresFired()).isEqualTo(1);
    }

    @Test
    void a_function_failing_before_running_has_no_effect_and_heals_after_the_count() {
        GatewaySession session = GatewaySession.register(ReliabilityStack.registry(stack), "t-hooks-before", Provider.WAHA);
        Gateway gateway = new Gateway(stack.httpUrl(), Executors.newSingleThreadExecutor(), 1);
        Instant now = Instant.now();
        byte[] body = session.message(1, 1, now);

        stack.function("WebhookFunction").failNext(2, false);
        List<Integer> statuses = List.of(
                gateway.postAndWait(session.sessionId(), body, session.sign(body, now)).status(),
                gateway.postAndWait(session.sessionId(), body, session.sign(body, now)).status());
        assertThat(ReliabilityStack.storedMessages(stack).get("t-hooks-before")).isNull();
        Gateway.Answer healed = gateway.postAndWait(session.sessionId(), body, session.sign(body, now));

        assertThat(statuses).containsExactly(500, 500);
        assertThat(healed).extracting(Gateway.Answer::status, Gateway.Answer::outcome).containsExactly(200, "stored");
    }

    @Test
    void an_in_memory_database_refuses_a_restart_because_it_would_come_back_empty() {
        assertThatThrownBy(() -> stack.dynamo().restartServer()).isInstanceOf(IllegalStateException.class).hasMessageContaining("--persist");
    }
}
