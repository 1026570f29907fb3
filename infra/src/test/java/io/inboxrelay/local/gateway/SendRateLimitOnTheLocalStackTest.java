package io.inboxrelay.local.gateway;

import static io.inboxrelay.local.gateway.SendOnTheLocalStackTest.JWT;
import static io.inboxrelay.local.gateway.SendOnTheLocalStackTest.eventsUntil;
import static io.inboxrelay.local.gateway.SendOnTheLocalStackTest.leadWrites;
import static io.inboxrelay.local.gateway.SendOnTheLocalStackTest.reply;
import static io.inboxrelay.local.gateway.SendOnTheLocalStackTest.send;
import static io.inboxrelay.local.gateway.SendOnTheLocalStackTest.token;
import static io.inboxrelay.local.gateway.SendOnTheLocalStackTest.wire;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.admin.SessionAdmin;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.Provider;
import io.inboxrelay.local.LocalStack;
import io.inboxrelay.local.TestSocket;
import io.inboxrelay.local.gateway.SendOnTheLocalStackTest.Wired;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.store.DynamoInboxStore;
import io.inboxrelay.store.DynamoSessionRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The per-session rate limit through the whole stack: eight replies of one session, spread over four conversations
 * (so the FIFO groups would let them go out in parallel), reach the gateway no faster than SEND_RATE_PER_SECOND after
 * the first SEND_BURST. Measured on the times the sender recorded each one sent (the {@code message_status} sent
 * events, stamped right after the gateway answered), with a tolerance for the stack's own latency.
 */
class SendRateLimitOnTheLocalStackTest {

    private static final int SENDS = 8;

    /** The times (sorted) at which the session's eight replies were recorded sent, under the given settings. */
    private static List<Instant> sentTimes(String ratePerSecond, String burst) throws Exception {
        try (LocalStack stack = LocalStack.start(SamTemplate.fromRepository(), LocalStack.Options.ephemeral(JWT));
             GatewaySimulator simulator = GatewaySimulator.start(0, GatewaySimulator.Options.defaults().withReceiptDelay(Duration.ofMillis(100)))) {
            // Read by the sender when its first container starts, which is after this (the stack restores it on close).
            System.setProperty("SEND_RATE_PER_SECOND", ratePerSecond);
            System.setProperty("SEND_BURST", burst);
            SessionAdmin admin = new SessionAdmin(new DynamoSessionRegistry(stack.dynamo().client(), "SessionsTable"), Clock.systemUTC());
            DynamoInboxStore inbox = new DynamoInboxStore(stack.dynamo().client(), Config.fromEnv(), Clock.systemUTC());
            Wired wired = wire(stack, admin, simulator, Provider.INBOX_HUB, true);
            List<String> conversations = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                conversations.add(leadWrites(inbox, wired, "+55119876543" + (10 + i), "lead-" + UUID.randomUUID()));
            }
            try (TestSocket agent = TestSocket.connect(URI.create(stack.webSocketUrl() + "?token=" + token(wired.tenant())))) {
                for (int i = 0; i < SENDS; i++) {
                    assertThat(send(stack, wired.tenant(), conversations.get(i % 4), reply(UUID.randomUUID().toString(), "reply " + i))
                            .statusCode()).isEqualTo(202);
                }
                List<JsonNode> events = eventsUntil(agent, seen -> sent(seen).size() == SENDS);
                List<Instant> times = sent(events).stream().map(e -> Instant.parse(e.path("timestamp").asText())).sorted().toList();
                assertThat(times).hasSize(SENDS);
                return times;
            }
        }
    }

    private static List<JsonNode> sent(List<JsonNode> events) {
        return events.stream().filter(e -> e.path("type").asText().equals("message_status") && e.path("status").asText().equals("sent")
                && e.path("message_id").asText().startsWith("out-")).toList();
    }

    @Test
    void a_sessions_replies_beyond_the_burst_go_out_no_faster_than_the_configured_rate() throws Exception {
        List<Instant> times = sentTimes("2", "2");

        // Burst 2, then one every 500 ms: the k-th send (k > 2) no earlier than (k - 2) intervals after the first.
        for (int k = 3; k <= SENDS; k++) {
            assertThat(Duration.between(times.get(0), times.get(k - 1))).as("send %d after the first", k)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(500L * (k - 2) - 150));
        }
        assertThat(Duration.between(times.get(0), times.get(SENDS - 1))).isGreaterThanOrEqualTo(Duration.ofMillis(3_000 - 150));
    }

    @Test
    void a_high_rate_lets_the_same_replies_go_out_at_once() throws Exception {
        List<Instant> times = sentTimes("100", "10");

        assertThat(Duration.between(times.get(0), times.get(SENDS - 1))).isLessThan(Duration.ofMillis(2_500));
    }
}
