package io.inboxrelay.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.local.DemoTenant;
import io.inboxrelay.local.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Webhooks per second through the local HTTP API (signature check, parsing, the exactly-once
 * store) with concurrent senders, against raw PutItem per second on the same DynamoDB Local,
 * alternated in the same run so both see the same machine load.
 */
public final class IngestBench {

    public static final int SENDERS = 4;
    /** Conversations per sender: a conversation's messages come from one sender, as from one gateway. */
    private static final int CONVERSATIONS_PER_SENDER = 50;

    /** @param webhooksPerSecond mean over the measured rounds; {@code rejected} counts non-"stored" answers */
    public record Result(double webhooksPerSecond, double putItemsPerSecond, long stored, long rejected, long puts,
                         Map<String, Double> profile) {
        public double ratio() {
            return webhooksPerSecond / putItemsPerSecond;
        }
    }

    private final LocalStack stack;
    private final DemoTenant tenant;
    private final DynamoDbClient dynamo;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final AtomicLong sequence = new AtomicLong();

    public IngestBench(LocalStack stack, DemoTenant tenant) {
        this.stack = stack;
        this.tenant = tenant;
        this.dynamo = stack.dynamo().client();
    }

    /** @param profile where the JFR recording of the last webhook round goes */
    public Result run(Duration round, int rounds, java.nio.file.Path profile) throws Exception {
        Webhooks webhooks = new Webhooks(URI.create(stack.httpUrl() + "/webhooks/" + tenant.sessionId()), tenant.secret());
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS, named("bench-sender"));
        ExecutorService putters = Executors.newFixedThreadPool(SENDERS, named("bench-raw"));
        try {
            Progress.step("ingest: warm-up");
            webhookRound(senders, webhooks, round);
            putRound(putters, round.dividedBy(2));
            double webhookSum = 0;
            double putSum = 0;
            long stored = 0;
            long rejected = 0;
            long puts = 0;
            Map<String, Double> shares = Map.of();
            for (int i = 1; i <= rounds; i++) {
                long[] p = putRound(putters, round);
                putSum += p[0] / seconds(round);
                puts += p[0];
                long[] w;
                if (i == rounds) {
                    try (CpuProfile cpu = new CpuProfile(profile)) {
                        w = webhookRound(senders, webhooks, round);
                        shares = cpu.stop();
                    }
                } else {
                    w = webhookRound(senders, webhooks, round);
                }
                webhookSum += w[0] / seconds(round);
                stored += w[0];
                rejected += w[1];
                Progress.step("ingest: round {}/{}: {} webhooks/s, {} PutItem/s", i, rounds,
                        Report.num(w[0] / seconds(round)), Report.num(p[0] / seconds(round)));
            }
            return new Result(webhookSum / rounds, putSum / rounds, stored, rejected, puts, shares);
        } finally {
            senders.shutdownNow();
            putters.shutdownNow();
        }
    }

    static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicLong count = new AtomicLong();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    /** @return {stored, not stored} */
    private long[] webhookRound(ExecutorService senders, Webhooks webhooks, Duration round) throws Exception {
        long deadline = System.nanoTime() + round.toNanos();
        List<Callable<long[]>> tasks = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            tasks.add(() -> {
                long stored = 0;
                long other = 0;
                while (System.nanoTime() < deadline) {
                    long n = sequence.incrementAndGet();
                    int conversation = sender * CONVERSATIONS_PER_SENDER + (int) (n % CONVERSATIONS_PER_SENDER);
                    HttpResponse<String> response = http.send(webhooks.request("ing-" + run + "-" + n, conversation),
                            HttpResponse.BodyHandlers.ofString());
                    JsonNode answer = response.statusCode() == 200 ? Json.parse(response.body()) : null;
                    if (answer != null && "stored".equals(answer.path("status").asText())) {
                        stored++;
                    } else {
                        other++;
                    }
                }
                return new long[] {stored, other};
            });
        }
        return sum(senders.invokeAll(tasks));
    }

    /** Items shaped like a stored message (same attributes and size), under their own keys. */
    private long[] putRound(ExecutorService senders, Duration round) throws Exception {
        long deadline = System.nanoTime() + round.toNanos();
        List<Callable<long[]>> tasks = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            tasks.add(() -> {
                long puts = 0;
                while (System.nanoTime() < deadline) {
                    Map<String, AttributeValue> item = messageLikeItem("raw-" + run + "-" + sequence.incrementAndGet());
                    dynamo.putItem(r -> r.tableName("MessagesTable").item(item));
                    puts++;
                }
                return new long[] {puts, 0};
            });
        }
        return sum(senders.invokeAll(tasks));
    }

    static Map<String, AttributeValue> messageLikeItem(String id) {
        Map<String, AttributeValue> item = new HashMap<>();
        long now = System.currentTimeMillis();
        item.put("pk", AttributeValue.fromS("bench-raw#" + id));
        item.put("tenantId", AttributeValue.fromS("bench-raw"));
        item.put("messageId", AttributeValue.fromS(id));
        item.put("conversationKey", AttributeValue.fromS("bench-raw#+573000000001"));
        item.put("conversationId", AttributeValue.fromS("+573000000001"));
        item.put("sortKey", AttributeValue.fromS(String.format(java.util.Locale.ROOT, "%013d#%s", now, id)));
        item.put("direction", AttributeValue.fromS("lead"));
        item.put("phone", AttributeValue.fromS("+573000000001"));
        item.put("name", AttributeValue.fromS("Lead 1"));
        item.put("text", AttributeValue.fromS("Hola, ¿tienen disponibilidad mañana? (" + id + ")"));
        item.put("timestamp", AttributeValue.fromN(Long.toString(now)));
        item.put("storedAt", AttributeValue.fromN(Long.toString(now)));
        return item;
    }

    private static long[] sum(List<Future<long[]>> futures) throws Exception {
        long[] total = new long[2];
        for (Future<long[]> future : futures) {
            long[] part = future.get();
            total[0] += part[0];
            total[1] += part[1];
        }
        return total;
    }
}
