package io.inboxrelay.bench;

import io.inboxrelay.core.event.Channel;
import io.inboxrelay.core.realtime.Connection;
import io.inboxrelay.core.realtime.StoredEvent;
import io.inboxrelay.push.Backoff;
import io.inboxrelay.push.Fanout;
import io.inboxrelay.push.FanoutRecord;
import io.inboxrelay.push.ManagementApiSender;
import io.inboxrelay.push.PushCounters;
import io.inboxrelay.store.ConnectionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * One event to every connection of one tenant through the real {@link Fanout} and
 * {@link ManagementApiSender} (connections found by the Query on ConnectionsTable, as the
 * fan-out function does), against a sequential PostToConnection loop over the same connections
 * and the same endpoint in the same run.
 */
public final class FanoutBench {

    static final String BODY = "{\"type\":\"new_message\",\"id\":\"1768990522411-Qm4xT7pLza\",\"tenant_id\":\"%s\","
            + "\"lead_id\":\"lead-573001112233\",\"conversation_id\":\"conv-573001112233\",\"message\":{\"id\":\"3EB0C431C26A1916E07E\","
            + "\"content\":\"Hola, ¿tienen disponibilidad mañana?\",\"sender\":\"lead\",\"phone\":\"+573001112233\","
            + "\"name\":\"Camila Rojas\",\"timestamp\":1768990521000}}";

    /** @param fanoutMillis median over the repetitions; {@code sequentialMillis} measured, or estimated when {@code estimated} */
    public record Result(int connections, int concurrency, double fanoutMillis, double sequentialMillis, boolean estimated, long sent) {
        public double speedup() {
            return sequentialMillis / fanoutMillis;
        }
    }

    private final DynamoDbClient dynamo;
    private final FakeManagementEndpoint endpoint;
    private final ApiGatewayManagementApiClient management;
    private final CountingInterceptor posts = new CountingInterceptor();

    public FanoutBench(DynamoDbClient dynamo, FakeManagementEndpoint endpoint) {
        this.dynamo = dynamo;
        this.endpoint = endpoint;
        this.management = BenchClients.management(endpoint.endpoint(), posts);
    }

    public static String tenant(int connections) {
        return "bench-fanout-" + connections;
    }

    /** Registers the tenant's connections as $connect would (BatchWriteItem only to set up faster). */
    public void register(int connections) throws Exception {
        String tenant = tenant(connections);
        long now = System.currentTimeMillis();
        List<WriteRequest> all = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("tenantId", AttributeValue.fromS(tenant));
            item.put("connectionId", AttributeValue.fromS(String.format(java.util.Locale.ROOT, "Bc%06dAbCdEfG=", i)));
            item.put("userId", AttributeValue.fromS("agent-" + i));
            item.put("channels", AttributeValue.fromSs(List.of("messages", "sessions", "statuses")));
            item.put("connectedAt", AttributeValue.fromN(Long.toString(now)));
            item.put("expiresAt", AttributeValue.fromN(Long.toString(now / 1000 + 7500)));
            all.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
        }
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> batches = new ArrayList<>();
            for (int from = 0; from < all.size(); from += 25) {
                List<WriteRequest> batch = all.subList(from, Math.min(all.size(), from + 25));
                batches.add(writers.submit(() -> {
                    Map<String, List<WriteRequest>> pending = Map.of("ConnectionsTable", batch);
                    while (!pending.isEmpty()) {
                        Map<String, List<WriteRequest>> request = pending;
                        var response = dynamo.batchWriteItem(r -> r.requestItems(request));
                        pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
                    }
                    return null;
                }));
            }
            for (Future<?> batch : batches) {
                batch.get();
            }
        } finally {
            writers.shutdownNow();
        }
    }

    /** Times the real fan-out of one event to the tenant's connections, median of {@code repetitions}. */
    public double fanoutMillis(int connections, int concurrency, int repetitions) {
        ConnectionStore store = new ConnectionStore(dynamo, "ConnectionsTable", Duration.ofSeconds(7500), Clock.systemUTC());
        List<Double> times = new ArrayList<>();
        try (Fanout fanout = new Fanout(store, concurrency, Clock.systemUTC())) {
            // r = -1 warms the pool's threads and connections, as a warm container has them.
            for (int r = -1; r < repetitions; r++) {
                PushCounters counters = new PushCounters();
                StoredEvent event = new StoredEvent(tenant(connections), "1768990522411-Qm4xT7pLza", "new_message", Channel.MESSAGES,
                        String.format(BODY, tenant(connections)), System.currentTimeMillis());
                long started = System.nanoTime();
                List<String> failed = fanout.deliver(List.of(new FanoutRecord("1", event)),
                        new ManagementApiSender(management, Backoff.DEFAULT, counters), counters);
                if (r >= 0) {
                    times.add((System.nanoTime() - started) / 1e6);
                }
                if (!failed.isEmpty() || counters.sentCount() != connections) {
                    throw new IllegalStateException("fan-out delivered " + counters.sentCount() + " of " + connections);
                }
            }
        }
        return new Percentiles(times.stream().mapToDouble(Double::doubleValue).toArray()).median();
    }

    /** A plain loop: the same Query, then one PostToConnection after another (the first {@code limit} only). */
    public double sequentialMillis(int connections, int limit) {
        ConnectionStore store = new ConnectionStore(dynamo, "ConnectionsTable", Duration.ofSeconds(7500), Clock.systemUTC());
        SdkBytes data = SdkBytes.fromUtf8String(String.format(BODY, tenant(connections)));
        long started = System.nanoTime();
        List<Connection> targets = store.forTenant(tenant(connections));
        for (Connection target : targets.subList(0, Math.min(limit, targets.size()))) {
            management.postToConnection(r -> r.connectionId(target.connectionId()).data(data));
        }
        return (System.nanoTime() - started) / 1e6;
    }

    public long postsCounted() {
        return posts.requests("PostToConnection");
    }
}
