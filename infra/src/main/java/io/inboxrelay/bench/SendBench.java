package io.inboxrelay.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.admin.SessionAdmin;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.auth.TokenMinter;
import io.inboxrelay.local.LocalStack;
import io.inboxrelay.local.gateway.GatewaySimulator;
import io.inboxrelay.store.DynamoSessionRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A reply from the inbox, end to end on the local stack against the gateway simulator (an Inbox Hub bridge):
 * the agent's POST, the pending {@code new_message} at the tenant's other browser, then {@code message_status}
 * {@code sent} at the sending browser — the send endpoint, the SQS outbox, the sender function, the gateway's
 * answer and the claim — and {@code read}, which also includes the simulator's receipt delay. Replies go one per
 * second (an agent's pace, inside the default per-session rate of 1/s with a burst of 5) across conversations.
 */
public final class SendBench {

    /** Times in ms from each POST; {@code missing} counts replies that never reached {@code sent}. */
    public record Result(int sends, Percentiles accepted, Percentiles otherBrowser, Percentiles sent, Percentiles read, long missing,
                         long duplicates, Duration receiptDelay) {
    }

    private static final Duration RECEIPT_DELAY = Duration.ofMillis(300);
    private static final int CONVERSATIONS = 5;

    private final LocalStack stack;
    private final String jwtSecret;

    public SendBench(LocalStack stack, String jwtSecret) {
        this.stack = stack;
        this.jwtSecret = jwtSecret;
    }

    public Result run(int sends, Duration pace) throws Exception {
        String tenant = "bench-send-" + Long.toString(System.currentTimeMillis(), 36);
        Map<String, Long> postedAt = new ConcurrentHashMap<>();
        Map<String, Long> pushedAt = new ConcurrentHashMap<>();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> readAt = new ConcurrentHashMap<>();
        List<Double> acceptedMs = new ArrayList<>();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        WebSocketClient ws = new WebSocketClient();
        ws.setMaxTextMessageSize(128 * 1024);
        ws.start();
        try (GatewaySimulator simulator = GatewaySimulator.start(0, GatewaySimulator.Options.defaults().withReceiptDelay(RECEIPT_DELAY))) {
            SessionAdmin admin = new SessionAdmin(new DynamoSessionRegistry(stack.dynamo().client(), "SessionsTable"), Clock.systemUTC());
            SessionAdmin.Created created = admin.create(new SessionAdmin.NewSession(tenant, null, Provider.INBOX_HUB.wireName(), null, null,
                    null, null));
            String sessionId = created.session().sessionId();
            simulator.registerSession(Provider.INBOX_HUB, "bench-bridge", stack.httpUrl() + "/webhooks/" + sessionId, created.secret(),
                    SignatureKind.defaultFor(Provider.INBOX_HUB));
            admin.setGateway(sessionId, simulator.baseUrl(Provider.INBOX_HUB).toString(), simulator.apiKey(), "bench-bridge", null);

            Progress.step("send: {} leads write in, then {} replies, one every {} ms", CONVERSATIONS, sends, pace.toMillis());
            Webhooks webhooks = new Webhooks(URI.create(stack.httpUrl() + "/webhooks/" + sessionId), created.secret());
            List<String> conversations = new ArrayList<>();
            // From 1: lead 0's number (+573000000000) ends in 0000, which the simulator answers "not on WhatsApp".
            for (int c = 1; c <= CONVERSATIONS; c++) {
                HttpResponse<String> answer = http.send(webhooks.request("lead-" + tenant + "-" + c, c), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException("the lead's webhook was answered " + answer.statusCode() + ": " + answer.body());
                }
                conversations.add(Webhooks.phone(c).substring(1));
            }

            String token = new TokenMinter(jwtSecret).mint(tenant, "bench-agent", Duration.ofHours(1));
            URI socketUrl = URI.create(stack.webSocketUrl() + "?token=" + token);
            BenchSocket sending = new BenchSocket((id, nanos) -> { }, text -> {
                if (text.startsWith("{\"type\":\"message_status\"")) {
                    JsonNode status = Json.parse(text);
                    String id = status.path("message_id").asText();
                    long now = System.nanoTime();
                    switch (status.path("status").asText()) {
                        case "sent" -> sentAt.putIfAbsent(id, now);
                        case "read" -> readAt.putIfAbsent(id, now);
                        default -> { }
                    }
                }
            });
            BenchSocket other = new BenchSocket((id, nanos) -> pushedAt.putIfAbsent(id, nanos), text -> { });
            ws.connect(sending, socketUrl).get(10, TimeUnit.SECONDS);
            ws.connect(other, socketUrl).get(10, TimeUnit.SECONDS);

            long next = System.nanoTime();
            for (int i = 0; i < sends; i++) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                next += pace.toNanos();
                String clientId = UUID.randomUUID().toString();
                String conversation = conversations.get(i % conversations.size());
                String body = "{\"client_id\":\"" + clientId + "\",\"text\":\"Resposta " + i + " do agente\"}";
                long start = System.nanoTime();
                postedAt.put("out-" + clientId, start);
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                                URI.create(stack.httpUrl() + "/api/conversations/" + conversation + "/messages"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 202) {
                    throw new IllegalStateException("send answered " + answer.statusCode() + ": " + answer.body());
                }
                acceptedMs.add((System.nanoTime() - start) / 1e6);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (readAt.size() < sends && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            long duplicates = sending.duplicates() + other.duplicates();
            sending.close();
            other.close();
            return new Result(sends, percentiles(acceptedMs), since(postedAt, pushedAt), since(postedAt, sentAt), since(postedAt, readAt),
                    postedAt.keySet().stream().filter(id -> !sentAt.containsKey(id)).count(), duplicates, RECEIPT_DELAY);
        } finally {
            ws.stop();
        }
    }

    private static Percentiles since(Map<String, Long> start, Map<String, Long> end) {
        List<Double> millis = new ArrayList<>();
        end.forEach((id, at) -> {
            Long from = start.get(id);
            if (from != null) {
                millis.add((at - from) / 1e6);
            }
        });
        return percentiles(millis);
    }

    private static Percentiles percentiles(List<Double> values) {
        return new Percentiles(values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
