package io.inboxrelay.bench;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A browser reconnects after missing {@code events} events and sends {@code resume}: the time from
 * sending it to the {@code resumed} marker, through the real route (ResumeHandler: Query on
 * EventsTable, then PostToConnection per event, in order) on the local stack.
 */
public final class ResumeBench {

    /** @param millis from sending resume to receiving resumed; {@code received} distinct events that arrived */
    public record Result(int events, double millis, int received, int reportedCount) {
    }

    private final LocalStack stack;
    private final String jwtSecret;

    public ResumeBench(LocalStack stack, String jwtSecret) {
        this.stack = stack;
        this.jwtSecret = jwtSecret;
    }

    public Result run(int events) throws Exception {
        String tenant = "bench-resume-" + Long.toString(System.nanoTime(), 36);
        Instant before = Instant.now().minusSeconds(60);
        String since = Cursors.floor(before);
        write(stack.dynamo().client(), tenant, events, before);
        WebSocketClient ws = new WebSocketClient();
        ws.setMaxTextMessageSize(128 * 1024);
        ws.start();
        try {
            AtomicInteger received = new AtomicInteger();
            CompletableFuture<String> resumed = new CompletableFuture<>();
            BenchSocket socket = new BenchSocket((id, nanos) -> received.incrementAndGet(), text -> {
                if (text.contains("\"type\":\"resumed\"")) {
                    resumed.complete(text);
                }
            });
            String token = new TokenMinter(jwtSecret).mint(tenant, "bench-agent", Duration.ofHours(1));
            ws.connect(socket, URI.create(stack.webSocketUrl() + "?token=" + token)).get(10, TimeUnit.SECONDS);
            long started = System.nanoTime();
            socket.send("{\"type\":\"resume\",\"since\":\"" + since + "\"}");
            String marker = resumed.get(120, TimeUnit.SECONDS);
            double millis = (System.nanoTime() - started) / 1e6;
            int count = io.inboxrelay.core.Json.parse(marker).path("count").asInt(-1);
            socket.close();
            return new Result(events, millis, received.get(), count);
        } finally {
            ws.stop();
        }
    }

    /** The events a tenant's gateway produced while the browser was away, as the store writes them. */
    static void write(DynamoDbClient dynamo, String tenant, int events, Instant from) {
        List<WriteRequest> all = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            Instant at = from.plusMillis(i * 10L);
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
        for (int from2 = 0; from2 < all.size(); from2 += 25) {
            Map<String, List<WriteRequest>> pending = Map.of("EventsTable", all.subList(from2, Math.min(all.size(), from2 + 25)));
            while (!pending.isEmpty()) {
                Map<String, List<WriteRequest>> request = pending;
                var response = dynamo.batchWriteItem(r -> r.requestItems(request));
                pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            }
        }
    }
}
