package io.inboxrelay.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.auth.TokenMinter;
import io.inboxrelay.core.event.Cursors;
import io.inboxrelay.local.LocalStack;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A browser reconnects after missing {@code events} events and catches up the way the contract says
 * (README "Real-time contract"): {@code {"type":"resume","since":c}} with a cursor from before the
 * gap, then, for every {@code resumed} with {@code complete:false}, {@code {"type":"resume","after":next}},
 * until {@code resumed} with {@code complete:true} (a {@code rate_limited} error is waited out and the
 * same call sent again). Measured from the first resume sent to the terminal message, through the
 * real route on the local stack (ResumeHandler: rate limit, Query on EventsTable, one
 * PostToConnection per event in order, then the terminal message) to a Jetty WebSocket client.
 *
 * <p>The missed events are written straight into EventsTable, so the stream fan-out sees them too;
 * the browser connects only after the fan-out has drained them (a sentinel event of another tenant,
 * written after them, has reached a probe socket), so what it receives is the resume alone.
 */
public final class ResumeBench {

    /** Between two missed events' cursors. */
    private static final Duration SPACING = Duration.ofMillis(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    /**
     * @param millis        from sending the first resume to receiving the terminal message
     * @param pages         resume calls answered with {@code resumed}
     * @param received      distinct message ids that arrived; {@code duplicates}: further copies
     * @param reportedCount the sum of the {@code count}s of the {@code resumed} answers
     * @param rateLimited   {@code rate_limited} answers waited out
     * @param terminal      the last answer ({@code resumed} complete, or what ended the run instead)
     * @param live          new_message events that reached the socket before the first resume (0 when the fan-out had drained)
     */
    public record Result(int events, double millis, int pages, int received, long duplicates, int reportedCount, int rateLimited,
                         boolean complete, String terminal, int live) {
        public double eventsPerSecond() {
            return received / (millis / 1000.0);
        }

        /** Every missed event arrived once and the server says so. */
        public boolean exact() {
            return complete && received == events && reportedCount == events;
        }
    }

    private final LocalStack stack;
    private final String jwtSecret;

    public ResumeBench(LocalStack stack, String jwtSecret) {
        this.stack = stack;
        this.jwtSecret = jwtSecret;
    }

    public Result run(int events) throws Exception {
        String id = Long.toString(System.nanoTime(), 36);
        String tenant = "bench-resume-" + id;
        String probeTenant = "bench-resume-probe-" + id;
        Instant from = Instant.now().minus(SPACING.multipliedBy(events)).minusSeconds(60);
        String since = Cursors.floor(from);
        WebSocketClient ws = new WebSocketClient();
        ws.setMaxTextMessageSize(128 * 1024);
        ws.start();
        try {
            CompletableFuture<Long> drained = new CompletableFuture<>();
            BenchSocket probe = new BenchSocket((message, nanos) -> drained.complete(nanos), text -> { });
            ws.connect(probe, url(probeTenant)).get(10, TimeUnit.SECONDS);
            write(stack.dynamo().client(), tenant, events, from, SPACING);
            write(stack.dynamo().client(), probeTenant, 1, Instant.now(), SPACING);
            try {
                drained.get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                Progress.step("resume: the fan-out had not drained the {} written events after 60 s; measuring anyway", events);
            }
            probe.close();

            AtomicInteger received = new AtomicInteger();
            BlockingQueue<String> answers = new LinkedBlockingQueue<>();
            BenchSocket socket = new BenchSocket((message, nanos) -> received.incrementAndGet(), answers::add);
            ws.connect(socket, url(tenant)).get(10, TimeUnit.SECONDS);
            int live = received.get();
            String request = "{\"type\":\"resume\",\"since\":\"" + since + "\"}";
            long started = System.nanoTime();
            long deadline = started + TIMEOUT.toNanos();
            socket.send(request);
            int pages = 0;
            int count = 0;
            int limited = 0;
            boolean complete = false;
            String terminal = "no answer in " + TIMEOUT.toSeconds() + " s";
            while (true) {
                String text = answers.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (text == null) {
                    break;
                }
                JsonNode answer = Json.parse(text);
                String type = answer.path("type").asText();
                if (type.equals("resumed")) {
                    pages++;
                    count += answer.path("count").asInt();
                    if (answer.path("complete").asBoolean(false) || !answer.hasNonNull("next")) {
                        complete = answer.path("complete").asBoolean(false);
                        terminal = text;
                        break;
                    }
                    request = "{\"type\":\"resume\",\"after\":\"" + answer.path("next").asText() + "\"}";
                    socket.send(request);
                } else if (type.equals("error") && answer.path("code").asText().equals("rate_limited")) {
                    limited++;
                    Thread.sleep(Math.max(1, answer.path("retry_after_ms").asLong(1000)));
                    socket.send(request);
                } else if (type.equals("resync_required") || type.equals("error")) {
                    terminal = text;
                    break;
                }
            }
            double millis = (System.nanoTime() - started) / 1e6;
            socket.close();
            return new Result(events, millis, pages, received.get(), socket.duplicates(), count, limited, complete, terminal, live);
        } finally {
            ws.stop();
        }
    }

    private URI url(String tenant) {
        String token = new TokenMinter(jwtSecret).mint(tenant, "bench-agent", Duration.ofHours(1));
        return URI.create(stack.webSocketUrl() + "?token=" + token);
    }

    /** The events a tenant's gateway produced while the browser was away, as the store writes them, {@code spacing} apart from {@code from}. */
    static void write(DynamoDbClient dynamo, String tenant, int events, Instant from, Duration spacing) {
        List<WriteRequest> all = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            Instant at = from.plus(spacing.multipliedBy(i));
            String cursor = Cursors.next(at);
            String body = "{\"type\":\"new_message\",\"id\":\"" + cursor + "\",\"tenant_id\":\"" + tenant + "\",\"lead_id\":\"lead-573001112233\","
                    + "\"conversation_id\":\"conv-573001112233\",\"message\":{\"id\":\"resume-" + i + "\",\"content\":\"Hola, ¿tienen disponibilidad mañana?\","
                    + "\"sender\":\"lead\",\"phone\":\"+573001112233\",\"name\":\"Camila Rojas\",\"timestamp\":" + at.toEpochMilli() + "}}";
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("tenantId", AttributeValue.fromS(tenant));
            item.put("cursor", AttributeValue.fromS(cursor));
            item.put("type", AttributeValue.fromS("new_message"));
            item.put("channel", AttributeValue.fromS("messages"));
            item.put("body", AttributeValue.fromS(body));
            item.put("createdAt", AttributeValue.fromN(Long.toString(at.toEpochMilli())));
            item.put("expiresAt", AttributeValue.fromN(Long.toString(at.plus(Duration.ofDays(7)).getEpochSecond())));
            all.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
        }
        for (int start = 0; start < all.size(); start += 25) {
            Map<String, List<WriteRequest>> pending = Map.of("EventsTable", all.subList(start, Math.min(all.size(), start + 25)));
            while (!pending.isEmpty()) {
                Map<String, List<WriteRequest>> request = pending;
                var response = dynamo.batchWriteItem(r -> r.requestItems(request));
                pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            }
        }
    }
}
