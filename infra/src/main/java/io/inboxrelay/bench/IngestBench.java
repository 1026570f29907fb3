package io.inboxrelay.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.Json;
import io.inboxrelay.handler.WebhookHandler;
import io.inboxrelay.local.DemoTenant;
import io.inboxrelay.local.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Four kinds of slice with the same number of concurrent senders, interleaved in the same run so
 * all see the same machine load:
 * <ul>
 *   <li><b>spread</b>: webhooks through the local HTTP API (signature check, parsing, the
 *       exactly-once store), each sender's messages spread over its own 50 conversations;</li>
 *   <li><b>hot</b>: the same webhooks, every sender into ONE conversation (one lead phone number,
 *       one lead name, so the conversation item and its counters are shared by all writers);</li>
 *   <li><b>raw</b>: a plain conditional PutItem ({@code attribute_not_exists(pk)}) of an item shaped
 *       like a stored message into DynamoDB Local: the floor the store reaches locally;</li>
 *   <li><b>direct</b>: the spread webhooks handed straight to a {@link WebhookHandler} in this JVM (same
 *       signature check, parsing and DynamoDB requests, no HTTP client, Jetty or API Gateway emulation):
 *       what the function and its store cost without the local HTTP layer.</li>
 * </ul>
 * Answers are counted as stored, 5xx, or other (any other status or a non-"stored" body).
 */
public final class IngestBench {

    /**
     * Conversations per sender in the spread rounds: a conversation's messages come from one sender, as from one
     * gateway, so no two spread writes share a conversation. Each is created before the measured rounds, so hot and
     * spread both measure messages into existing conversations (a conversation's first message also writes its contact).
     */
    static final int CONVERSATIONS_PER_SENDER = 4;
    /** Pause before each slice, so the stream fan-out of one slice's events does not run into the next slice. */
    private static final Duration SETTLE = Duration.ofMillis(300);
    /** Slices of each kind per round: short slices of hot, spread, raw and direct follow each other, so all see the same machine load. */
    static final int SLICES_PER_ROUND = 3;
    /** The conversation index of the hot rounds (its lead phone is {@code +573099999999}); spread rounds never reach it. */
    static final int HOT_CONVERSATION = 99_999_999;

    /**
     * One slice: every sender sends back to back until the deadline. Its rate is the sum over senders of the
     * sender's stored answers over its own busy span (first send to last answer), so requests still in flight at
     * the deadline are neither lost nor counted against a shorter window, whatever the latency.
     *
     * @param stored "stored" answers; {@code serverErrors}: 5xx; {@code other}: any other answer
     */
    record Slice(double perSecond, long stored, long serverErrors, long other) {
    }

    /** One kind of slice over the measured rounds: the mean rate of its slices and the answers summed. */
    public record Side(double perSecond, long stored, long serverErrors, long other, int slices) {
        static Side of(List<Slice> slices) {
            return new Side(slices.stream().mapToDouble(Slice::perSecond).average().orElse(Double.NaN),
                    slices.stream().mapToLong(Slice::stored).sum(), slices.stream().mapToLong(Slice::serverErrors).sum(),
                    slices.stream().mapToLong(Slice::other).sum(), slices.size());
        }
    }

    /**
     * @param hotUnread     the hot conversation's unread count moved by exactly this much
     * @param hotStoredAll  hot webhooks answered "stored", warm-up included (what hotUnread must equal)
     * @param pairRatios    hot / spread of each slice and the spread slice right after it, sorted (the spread of the noise)
     * @param direct        the spread webhooks handed straight to an in-process WebhookHandler (no HTTP client, Jetty or API emulation)
     * @param profile       CPU shares of one extra spread slice after the measured ones; {@code putProfile}: of one extra raw slice
     */
    public record Result(int senders, Side spread, Side hot, Side raw, Side direct, long hotUnread, long hotStoredAll, List<Double> pairRatios,
                         Map<String, Double> profile, Map<String, Double> putProfile) {
        public double hotOverSpread() {
            return hot.perSecond() / spread.perSecond();
        }

        public double ingestOverPut() {
            return spread.perSecond() / raw.perSecond();
        }
    }

    private final LocalStack stack;
    private final DemoTenant tenant;
    private final DynamoDbClient dynamo;
    private final int senders;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final AtomicLong sequence = new AtomicLong();

    public IngestBench(LocalStack stack, DemoTenant tenant, int senders) {
        this.stack = stack;
        this.tenant = tenant;
        this.dynamo = stack.dynamo().client();
        this.senders = senders;
    }

    /**
     * @param round    measured time of each kind per round, cut into {@link #SLICES_PER_ROUND} interleaved slices
     * @param profiles where the JFR recordings of the extra profiled slices go ({@code ingest.jfr}, {@code ingest-put.jfr})
     */
    public Result run(Duration round, int rounds, Path profiles) throws Exception {
        Webhooks webhooks = new Webhooks(URI.create(stack.httpUrl() + "/webhooks/" + tenant.sessionId()), tenant.secret());
        ExecutorService pool = Executors.newFixedThreadPool(senders, named("bench-sender"));
        ExecutorService putters = Executors.newFixedThreadPool(senders, named("bench-raw"));
        WebhookHandler handler = new WebhookHandler(BenchClients.dynamo(stack.dynamo().endpoint()), Config.fromEnv(), Clock.systemUTC());
        Duration slice = round.dividedBy(SLICES_PER_ROUND);
        try {
            long unreadBefore = hotUnread();
            Progress.step("ingest: warm-up ({} senders): creating the {} spread conversations and the hot one", senders,
                    senders * CONVERSATIONS_PER_SENDER);
            seed(pool, webhooks);
            long hotStoredAll = webhookSlice(pool, webhooks, slice, true).stored();
            webhookSlice(pool, webhooks, slice, false);
            putSlice(putters, slice);
            handlerSlice(pool, webhooks, handler, slice);
            List<Slice> direct = new ArrayList<>();
            List<Slice> spread = new ArrayList<>();
            List<Slice> hot = new ArrayList<>();
            List<Slice> raw = new ArrayList<>();
            List<Double> pairs = new ArrayList<>();
            for (int i = 1; i <= rounds; i++) {
                for (int k = 0; k < SLICES_PER_ROUND; k++) {
                    // Rotate the order, so no kind always runs right after the same other one.
                    Slice h = null;
                    Slice s = null;
                    for (int j = 0; j < 4; j++) {
                        switch ((k + j) % 4) {
                            case 0 -> h = webhookSlice(pool, webhooks, slice, true);
                            case 1 -> s = webhookSlice(pool, webhooks, slice, false);
                            case 2 -> raw.add(putSlice(putters, slice));
                            default -> direct.add(handlerSlice(pool, webhooks, handler, slice));
                        }
                    }
                    hot.add(h);
                    spread.add(s);
                    hotStoredAll += h.stored();
                    pairs.add(h.perSecond() / s.perSecond());
                }
                int from = (i - 1) * SLICES_PER_ROUND;
                Progress.step("ingest: round {}/{}: hot {} webhooks/s, spread {} webhooks/s (5xx {} / {}), PutItem {}/s", i, rounds,
                        Report.num(Side.of(hot.subList(from, hot.size())).perSecond()),
                        Report.num(Side.of(spread.subList(from, spread.size())).perSecond()),
                        Side.of(hot.subList(from, hot.size())).serverErrors(), Side.of(spread.subList(from, spread.size())).serverErrors(),
                        Report.num(Side.of(raw.subList(from, raw.size())).perSecond()));
            }
            long unreadAfter = hotUnread();
            Map<String, Double> profile;
            Map<String, Double> putProfile;
            try (CpuProfile cpu = new CpuProfile(profiles.resolve("ingest.jfr"))) {
                webhookSlice(pool, webhooks, slice, false);
                profile = cpu.stop();
            }
            try (CpuProfile cpu = new CpuProfile(profiles.resolve("ingest-put.jfr"))) {
                putSlice(putters, slice);
                putProfile = cpu.stop();
            }
            pairs.sort(null);
            return new Result(senders, Side.of(spread), Side.of(hot), Side.of(raw), Side.of(direct), unreadAfter - unreadBefore, hotStoredAll, pairs,
                    profile, putProfile);
        } finally {
            pool.shutdownNow();
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

    /** One message into each spread conversation, from its sender. */
    private void seed(ExecutorService pool, Webhooks webhooks) throws Exception {
        List<Callable<long[]>> tasks = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            tasks.add(() -> {
                for (int c = 0; c < CONVERSATIONS_PER_SENDER; c++) {
                    http.send(webhooks.request("ing-" + run + "-" + sequence.incrementAndGet(), sender * CONVERSATIONS_PER_SENDER + c),
                            HttpResponse.BodyHandlers.discarding());
                }
                return new long[4];
            });
        }
        sum(pool.invokeAll(tasks));
    }

    private Slice webhookSlice(ExecutorService pool, Webhooks webhooks, Duration length, boolean hot) throws Exception {
        return slice(pool, length, (sender, n) -> {
            int conversation = hot ? HOT_CONVERSATION : sender * CONVERSATIONS_PER_SENDER + (int) (n % CONVERSATIONS_PER_SENDER);
            HttpResponse<String> response = http.send(webhooks.request("ing-" + run + "-" + n, conversation),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode answer = response.statusCode() == 200 ? Json.parse(response.body()) : null;
            return outcome(response.statusCode(), answer != null && "stored".equals(answer.path("status").asText()));
        });
    }

    /** The spread webhooks, signed the same way, handed straight to a WebhookHandler in this JVM (as CostBench does). */
    private Slice handlerSlice(ExecutorService pool, Webhooks webhooks, WebhookHandler handler, Duration length) throws Exception {
        return slice(pool, length, (sender, n) -> {
            int conversation = sender * CONVERSATIONS_PER_SENDER + (int) (n % CONVERSATIONS_PER_SENDER);
            APIGatewayV2HTTPResponse response = CostBench.call(handler, webhooks, "ing-" + run + "-" + n, conversation);
            return outcome(response.getStatusCode(), response.getStatusCode() == 200 && response.getBody().contains("\"stored\""));
        });
    }

    /** One webhook of a sender: n is the run-wide sequence number. */
    private interface Send {
        int send(int sender, long n) throws Exception;
    }

    private static final int STORED = 0;
    private static final int SERVER_ERROR = 1;
    private static final int OTHER = 2;

    private static int outcome(int status, boolean stored) {
        return stored ? STORED : status >= 500 ? SERVER_ERROR : OTHER;
    }

    /** Every sender sends until the slice's deadline; each counts its answers over its own busy time. */
    private Slice slice(ExecutorService pool, Duration length, Send send) throws Exception {
        Thread.sleep(SETTLE.toMillis());
        long deadline = System.nanoTime() + length.toNanos();
        List<Callable<long[]>> tasks = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            tasks.add(() -> {
                long started = System.nanoTime();
                long[] counts = new long[4];
                while (System.nanoTime() < deadline) {
                    counts[send.send(sender, sequence.incrementAndGet())]++;
                }
                counts[3] = System.nanoTime() - started;
                return counts;
            });
        }
        return sum(pool.invokeAll(tasks));
    }

    /** Conditional PutItems of items shaped like a stored message (same attributes and size), under their own keys. */
    private Slice putSlice(ExecutorService pool, Duration length) throws Exception {
        Thread.sleep(SETTLE.toMillis());
        long deadline = System.nanoTime() + length.toNanos();
        List<Callable<long[]>> tasks = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            tasks.add(() -> {
                long started = System.nanoTime();
                long puts = 0;
                long failed = 0;
                while (System.nanoTime() < deadline) {
                    Map<String, AttributeValue> item = messageLikeItem("raw-" + run + "-" + sequence.incrementAndGet());
                    try {
                        dynamo.putItem(r -> r.tableName("MessagesTable").item(item).conditionExpression("attribute_not_exists(pk)"));
                        puts++;
                    } catch (ConditionalCheckFailedException e) {
                        failed++;
                    }
                }
                return new long[] {puts, 0, failed, System.nanoTime() - started};
            });
        }
        return sum(pool.invokeAll(tasks));
    }

    /** The hot conversation's unread count now (0 before its first message), found by its lead phone. */
    private long hotUnread() {
        String phone = Webhooks.phone(HOT_CONVERSATION);
        Map<String, AttributeValue> start = null;
        long unread = 0;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(q -> q.tableName("ConversationsTable").consistentRead(true)
                    .keyConditionExpression("tenantId = :t").filterExpression("phone = :p")
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenant.tenantId()), ":p", AttributeValue.fromS(phone)))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) {
                AttributeValue value = item.get("unreadCount");
                unread += value == null || value.n() == null ? 0 : Long.parseLong(value.n());
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return unread;
    }

    static Map<String, AttributeValue> messageLikeItem(String id) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
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

    /** A slice from its senders' {stored, 5xx, other, busy nanos}. */
    private static Slice sum(List<Future<long[]>> futures) throws Exception {
        double perSecond = 0;
        long[] total = new long[3];
        for (Future<long[]> future : futures) {
            long[] part = future.get();
            for (int i = 0; i < total.length; i++) {
                total[i] += part[i];
            }
            perSecond += part[3] > 0 ? part[0] / (part[3] / 1e9) : 0;
        }
        return new Slice(perSecond, total[0], total[1], total[2]);
    }
}
