package io.inboxrelay.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ceilings of inbox-relay in AWS for a given traffic, with the arithmetic and the AWS documentation
 * each number comes from (docs/SCALING.md explains the model). No AWS call, no dependency: a JDK-only
 * main.
 *
 * <pre>
 * java -cp infra/target/classes io.inboxrelay.bench.ScaleModel \
 *     [--messages-per-second 1000] [--browsers 10000] [--events-per-second 10] [--wru-per-message 12.80] ...
 * bash infra/bench.sh --model [same options]
 * </pre>
 *
 * It models one tenant (the targets are per tenant) in one account and region, for the design
 * as it is today and for the design that removes the single-partition ceilings: a bucketed event log
 * and a fan-out split across connection shards. Quotas are AWS's defaults; prices are US East (N.
 * Virginia), on-demand. DynamoDB Local's consumed-capacity figure is never an input: the write units
 * come from {@code CostBench}'s computed row.
 */
public final class ScaleModel {

    /**
     * AWS write units per stored message, as {@code bash infra/bench.sh --only cost} computes them (row "AWS write
     * units / stored message (computed ...)", 20 conversations). UPDATE when the write path changes. Last measured
     * 2026-12-01 on the v2 write path (docs/DELIVERY.md): 11.80 (table 8.00 + index 3.80); v1 (commit 7dfdf30): 12.80.
     */
    public static final double WRU_PER_MESSAGE = 11.80;
    /** Of which on EventsTable, whose partition key is the tenant: new_message (transactional put, 2) + conversation_updated (put, 1). */
    public static final double EVENT_LOG_WRU_PER_MESSAGE = 3.00;
    /**
     * The largest share on any other table or index whose partition key is the tenant alone (same run):
     * ConversationsTable 3.00 (transactional counter update 2 + preview update 1), recent-index 2.80 (GSI key tenantId).
     */
    public static final double OTHER_TENANT_KEY_WRU_PER_MESSAGE = 3.00;
    /** AWS read units per stored message (same run: none on the message path; the session is cached for 10 s). */
    public static final double RRU_PER_MESSAGE = 0.01;

    // ---------------------------------------------------------------- AWS numbers (see SOURCES)
    static final double PARTITION_WCU = 1_000;              // [partition]
    static final double PARTITION_RCU = 3_000;              // [partition]
    static final double TABLE_ON_DEMAND_WRU = 40_000;       // [ddb-quotas] per table (and per GSI), on-demand, default
    static final double TABLE_ON_DEMAND_RRU = 40_000;       // [ddb-quotas]
    static final double NEW_TABLE_WRU = 4_000;              // [on-demand] a new on-demand table, before it has seen more
    static final int PARALLELIZATION_FACTOR_MAX = 10;       // [esm-params]
    static final int STREAM_READERS_PER_SHARD = 2;          // [ddb-quotas] "no more than two processes" per stream shard
    static final int GET_RECORDS_MAX = 1_000;               // [get-records] records per GetRecords (or 1 MB)
    static final double LAMBDA_CONCURRENCY = 1_000;         // [lambda-quotas] per account and region, default
    static final double API_ACCOUNT_RPS = 10_000;           // [apigw-quotas] HTTP + REST + WebSocket + callback APIs, per account and region
    static final double API_ACCOUNT_BURST = 5_000;          // [apigw-quotas]
    static final double WS_NEW_CONNECTIONS_PER_S = 500;     // [ws-quotas] per account and region
    static final int WS_FRAME_BYTES = 32 * 1024;            // [ws-quotas]
    static final int WS_MESSAGE_BYTES = 128 * 1024;         // [ws-quotas]
    static final double WS_MAX_CONNECTION_S = 2 * 3600;     // [ws-quotas] connection duration
    // Prices, US East (N. Virginia), USD.
    static final double PRICE_WRU = 0.625 / 1e6;            // [ddb-price] on-demand write request unit
    static final double PRICE_RRU = 0.125 / 1e6;            // [ddb-price] on-demand read request unit
    static final double PRICE_WS_MESSAGE = 1.00 / 1e6;      // [apigw-price] first 1 billion messages a month
    static final double PRICE_WS_MESSAGE_OVER = 0.80 / 1e6; // [apigw-price] over 1 billion
    static final double PRICE_WS_MINUTE = 0.25 / 1e6;       // [apigw-price] per connection minute
    static final double SECONDS_PER_MONTH = 30 * 24 * 3600;

    /** Where each number above is documented. */
    static final Map<String, String> SOURCES = new LinkedHashMap<>();

    static {
        SOURCES.put("partition", "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/warm-throughput-scenarios.html"
                + " (\"each individual partition is limited to 1,000 write units per second and 3,000 read units per second\"; also"
                + " https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/throttling-key-range-limit-exceeded-mitigation.html: for tables and GSIs)");
        SOURCES.put("ddb-quotas", "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html"
                + " (on-demand: 40,000 read and 40,000 write request units per table; DynamoDB Streams: no more than two processes per shard)");
        SOURCES.put("on-demand", "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html"
                + " (new on-demand tables sustain up to 4,000 writes/s and 12,000 reads/s; up to double the previous peak instantly)");
        SOURCES.put("item-cost", "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html,"
                + " .../CapacityUnitCalculations.html, .../transaction-apis.html, .../GSI.html (AwsCapacity's rules)");
        SOURCES.put("esm-params", "https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html (ParallelizationFactor 1-10, BatchSize up to 10,000)");
        SOURCES.put("with-ddb", "https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html (\"When you increase the number of concurrent"
                + " batches per shard, Lambda still ensures in-order processing at the item (partition and sort key) level\")");
        SOURCES.put("get-records", "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html (1 MB or 1,000 records per call)");
        SOURCES.put("lambda-quotas", "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html (concurrent executions: 1,000, can be raised)");
        SOURCES.put("apigw-quotas", "https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html (10,000 requests/s per account"
                + " and region across HTTP, REST, WebSocket and WebSocket callback APIs, burst 5,000; 2,500/1,250 in some newer regions)");
        SOURCES.put("ws-quotas", "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html"
                + " (500 new connections/s per account and region; frame 32 KB; message payload 128 KB; connection 2 hours; idle 10 minutes)");
        SOURCES.put("apigw-price", "https://aws.amazon.com/api-gateway/pricing/ (WebSocket: per million messages, metered in 32 KB"
                + " increments, $1.00 first billion/month then $0.80; $0.25 per million connection minutes; US East (N. Virginia))");
        SOURCES.put("ddb-price", "https://aws.amazon.com/dynamodb/pricing/on-demand/ (US East (N. Virginia) after the November 2024"
                + " on-demand price cut: $0.625 per million write request units, $0.125 per million read request units; transactional"
                + " writes are two units; GetRecords by Lambda triggers are not charged)");
    }

    /** The model's inputs (per tenant unless said otherwise). */
    record Inputs(double messagesPerSecond, double eventsPerMessage, double wruPerMessage, double eventLogWru, double otherTenantKeyWru,
                  double rruPerMessage, double browsers, double eventsPerSecond, double eventBytes, double postLatencyMs,
                  double fanoutConcurrency, double headroom, int buckets, int connectionShards, double connectionItemBytes) {

        static Inputs defaults() {
            return new Inputs(1_000, 2, WRU_PER_MESSAGE, EVENT_LOG_WRU_PER_MESSAGE, OTHER_TENANT_KEY_WRU_PER_MESSAGE, RRU_PER_MESSAGE,
                    10_000, 10, 1_024, 10, 128, 0.5, 0, 0, 200);
        }
    }

    static final String USAGE = """
            usage: ScaleModel [options]   (per tenant; defaults are the issue's targets)
              --messages-per-second N   messages stored per second for one tenant (1000)
              --events-per-message N    pushable events per message: new_message + conversation_updated (2)
              --wru-per-message N       AWS write units per message, CostBench's computed row (%.2f)
              --event-log-wru N         of which on the event log (%.2f)
              --tenant-key-wru N        largest share on another table/GSI keyed by the tenant alone (%.2f)
              --rru-per-message N       AWS read units per message (%.2f)
              --browsers N              open sockets of the tenant (10000)
              --events-per-second N     events each browser receives per second (10)
              --event-bytes N           size of one pushed event (1024)
              --post-latency-ms N       one PostToConnection round trip from Lambda, in region (10)
              --fanout-concurrency N    posts in flight per fan-out invocation, FANOUT_CONCURRENCY (128)
              --headroom F              fraction of a hard limit the design may plan to use (0.5)
              --buckets N               event-log buckets (computed when 0)
              --connection-shards N     connection shards (computed when 0)
              --connection-item-bytes N one ConnectionsTable item (200)
            """.formatted(WRU_PER_MESSAGE, EVENT_LOG_WRU_PER_MESSAGE, OTHER_TENANT_KEY_WRU_PER_MESSAGE, RRU_PER_MESSAGE);

    public static void main(String[] args) {
        Inputs in;
        try {
            in = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (in == null) {
            System.out.print(USAGE);
            return;
        }
        System.out.print(render(in));
    }

    static Inputs parse(String[] args) {
        Inputs d = Inputs.defaults();
        Map<String, Double> v = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                return null;
            }
            if (a.equals("--model")) {
                continue; // bench.sh passes its own flag through
            }
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown or incomplete option: " + a);
            }
            try {
                v.put(a.substring(2), Double.parseDouble(args[++i].replace(",", "")));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number for " + a + ": " + args[i]);
            }
        }
        Inputs in = new Inputs(take(v, "messages-per-second", d.messagesPerSecond()), take(v, "events-per-message", d.eventsPerMessage()),
                take(v, "wru-per-message", d.wruPerMessage()), take(v, "event-log-wru", d.eventLogWru()),
                take(v, "tenant-key-wru", d.otherTenantKeyWru()), take(v, "rru-per-message", d.rruPerMessage()),
                take(v, "browsers", d.browsers()), take(v, "events-per-second", d.eventsPerSecond()), take(v, "event-bytes", d.eventBytes()),
                take(v, "post-latency-ms", d.postLatencyMs()), take(v, "fanout-concurrency", d.fanoutConcurrency()),
                take(v, "headroom", d.headroom()), (int) take(v, "buckets", d.buckets()), (int) take(v, "connection-shards", d.connectionShards()),
                take(v, "connection-item-bytes", d.connectionItemBytes()));
        if (!v.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s): " + v.keySet());
        }
        if (in.headroom() <= 0 || in.headroom() > 1) {
            throw new IllegalArgumentException("--headroom must be in (0, 1]");
        }
        return in;
    }

    private static double take(Map<String, Double> values, String name, double fallback) {
        Double value = values.remove(name);
        return value == null ? fallback : value;
    }

    // ---------------------------------------------------------------- the model

    /** One line of arithmetic, its result and whether the traffic fits. */
    record Line(String what, String arithmetic, String verdict) {
    }

    static String render(Inputs in) {
        StringBuilder out = new StringBuilder();
        out.append("inbox-relay scale model: one tenant, AWS defaults, US East (N. Virginia) prices; [tags] are sources, listed at the end.\n");
        out.append(String.format(Locale.ROOT, "inputs: %s msg/s, %s events/msg, %s WRU/msg (event log %s, other tenant-keyed %s), %s RRU/msg; "
                        + "%s browsers x %s events/s, %s B/event; post %s ms, %s posts in flight/invocation; plan to use %s%% of a hard limit%n",
                f(in.messagesPerSecond()), f(in.eventsPerMessage()), f2(in.wruPerMessage()), f2(in.eventLogWru()), f2(in.otherTenantKeyWru()),
                f2(in.rruPerMessage()), f(in.browsers()), f(in.eventsPerSecond()), f(in.eventBytes()), f(in.postLatencyMs()),
                f(in.fanoutConcurrency()), f(in.headroom() * 100)));
        out.append("WRU/msg comes from CostBench's computed row (item sizes x AWS's rules [item-cost]), never DynamoDB Local's own figure.\n");

        section(out, "1. Writes, design as is: a tenant's events share partition key tenantId (EventsTable; also Conversations, Contacts, recent-index)", current(in));
        Bucketed b = bucketed(in);
        section(out, "2. Writes, bucketed: partition key tenantId#bucket, bucket = hash(conversation) mod N", b.lines);
        section(out, "3. Stream and fan-out, design as is: one tenant = one partition key = one stream shard, one batch at a time", fanoutCurrent(in));
        Split s = split(in, b.buckets);
        section(out, "4. Fan-out split across connection shards (ConnectionsTable key tenantId#shard; K parallel workers per stream batch)", s.lines);
        section(out, "5. Account quotas at this traffic", account(in, s));
        section(out, "6. Cost at this traffic (on-demand, US East (N. Virginia), 30-day month)", cost(in));
        out.append("\nsources:\n");
        SOURCES.forEach((tag, url) -> out.append("  [").append(tag).append("] ").append(url).append('\n'));
        return out.toString();
    }

    static List<Line> current(Inputs in) {
        List<Line> lines = new ArrayList<>();
        double eventLogCeiling = PARTITION_WCU / in.eventLogWru();
        double otherCeiling = PARTITION_WCU / in.otherTenantKeyWru();
        double ceiling = Math.min(eventLogCeiling, otherCeiling);
        lines.add(new Line("EventsTable partition 'tenantId'", String.format(Locale.ROOT, "%s WCU/s [partition] / %s WRU/msg = %s msg/s",
                f(PARTITION_WCU), f2(in.eventLogWru()), f(eventLogCeiling)), fits(in.messagesPerSecond(), eventLogCeiling, "msg/s")));
        lines.add(new Line("Conversations/Contacts/recent-index partition 'tenantId'", String.format(Locale.ROOT,
                "%s / %s WRU/msg = %s msg/s", f(PARTITION_WCU), f2(in.otherTenantKeyWru()), f(otherCeiling)),
                fits(in.messagesPerSecond(), otherCeiling, "msg/s")));
        lines.add(new Line("ceiling for one tenant", String.format(Locale.ROOT, "min(...) = %s msg/s (a split of the partition does not help:"
                + " the sort key (cursor) grows with time, so every new event lands at the end of one key range)", f(ceiling)),
                fits(in.messagesPerSecond(), ceiling, "msg/s")));
        double rcu = in.messagesPerSecond() * in.rruPerMessage(); // v2 reads nothing before a message write
        lines.add(new Line("reads on the message path", String.format(Locale.ROOT,
                "%s msg/s x %s RCU (no read before a write; the session is cached 10 s) = %s RCU/s of %s per partition [partition]",
                f(in.messagesPerSecond()), f2(in.rruPerMessage()), f(rcu), f(PARTITION_RCU)), fits(rcu, PARTITION_RCU, "RCU/s")));
        double tableWru = in.messagesPerSecond() * in.eventLogWru();
        lines.add(new Line("EventsTable, whole table", String.format(Locale.ROOT, "%s msg/s x %s = %s WRU/s of %s per table [ddb-quotas];"
                        + " a new table takes %s WRU/s at once, then doubles its previous peak [on-demand]", f(in.messagesPerSecond()),
                f2(in.eventLogWru()), f(tableWru), f(TABLE_ON_DEMAND_WRU), f(NEW_TABLE_WRU)), fits(tableWru, TABLE_ON_DEMAND_WRU, "WRU/s")));
        return lines;
    }

    record Bucketed(List<Line> lines, int buckets) {
    }

    static Bucketed bucketed(Inputs in) {
        List<Line> lines = new ArrayList<>();
        double eventWru = in.messagesPerSecond() * in.eventLogWru();
        int needed = (int) Math.ceil(eventWru / (PARTITION_WCU * in.headroom()));
        int buckets = in.buckets() > 0 ? in.buckets() : Math.max(1, needed);
        lines.add(new Line("event-log buckets", String.format(Locale.ROOT, "ceil(%s msg/s x %s WRU / (%s WCU/s x %s)) = %d%s",
                f(in.messagesPerSecond()), f2(in.eventLogWru()), f(PARTITION_WCU), f2(in.headroom()), needed,
                in.buckets() > 0 ? "; using --buckets " + buckets : "; using " + buckets), ""));
        double perBucket = eventWru / buckets;
        lines.add(new Line("per bucket (conversations spread evenly)", String.format(Locale.ROOT, "%s / %d = %s WCU/s of %s [partition]",
                f(eventWru), buckets, f(perBucket), f(PARTITION_WCU)), fits(perBucket, PARTITION_WCU, "WCU/s")));
        double tenantCeiling = buckets * PARTITION_WCU / in.eventLogWru();
        lines.add(new Line("ceiling for one tenant", String.format(Locale.ROOT, "%d x %s / %s = %s msg/s", buckets, f(PARTITION_WCU),
                f2(in.eventLogWru()), f(tenantCeiling)), fits(in.messagesPerSecond(), tenantCeiling, "msg/s")));
        lines.add(new Line("ceiling for one conversation (one bucket)", String.format(Locale.ROOT, "%s / %s = %s msg/s",
                f(PARTITION_WCU), f2(in.eventLogWru()), f(PARTITION_WCU / in.eventLogWru())), "unchanged, and far above any one chat"));
        int otherBuckets = (int) Math.ceil(in.messagesPerSecond() * in.otherTenantKeyWru() / (PARTITION_WCU * in.headroom()));
        lines.add(new Line("Conversations, Contacts, recent-index", String.format(Locale.ROOT,
                "the same: key tenantId#conversationId (tables) and tenantId#bucket (recent-index), ceil(%s x %s / (%s x %s)) = %d buckets",
                f(in.messagesPerSecond()), f2(in.otherTenantKeyWru()), f(PARTITION_WCU), f2(in.headroom()), otherBuckets), ""));
        lines.add(new Line("resume", String.format(Locale.ROOT, "%d Query requests merged by cursor (min 0.5 RCU each, eventually"
                + " consistent [item-cost]); order and gap detection become per bucket (a per-bucket sequence on every event)", buckets), ""));
        return new Bucketed(lines, buckets);
    }

    static List<Line> fanoutCurrent(Inputs in) {
        List<Line> lines = new ArrayList<>();
        double rounds = Math.ceil(in.browsers() / in.fanoutConcurrency());
        double perEventMs = rounds * in.postLatencyMs();
        double eventsPerSecond = 1000 / perEventMs;
        lines.add(new Line("one event to every browser", String.format(Locale.ROOT, "ceil(%s / %s) rounds x %s ms = %s ms",
                f(in.browsers()), f(in.fanoutConcurrency()), f(in.postLatencyMs()), f(perEventMs)), ""));
        lines.add(new Line("events/s per tenant, ParallelizationFactor 1 (order per tenant)", String.format(Locale.ROOT,
                "1,000 / %s = %s events/s, each browser gets them all", f(perEventMs), f2(eventsPerSecond)),
                fits(in.eventsPerSecond(), eventsPerSecond, "events/s")));
        lines.add(new Line("ParallelizationFactor 4 (the template before v2)", String.format(Locale.ROOT, "up to 4 x %s = %s events/s, but order"
                + " is kept only per item (partition + sort key) [with-ddb] and every event is its own item: no per-tenant order",
                f2(eventsPerSecond), f2(4 * eventsPerSecond)), "breaks the order promise"));
        double queryRcu = Math.ceil(in.browsers() * in.connectionItemBytes() / 4096.0) / 2;
        lines.add(new Line("connections Query per batch", String.format(Locale.ROOT, "ceil(%s x %s B / 4 KB) / 2 = %s RCU (eventually"
                + " consistent [item-cost]), %s page(s) of 1 MB", f(in.browsers()), f(in.connectionItemBytes()), f(queryRcu),
                f(Math.ceil(in.browsers() * in.connectionItemBytes() / (1024.0 * 1024)))), ""));
        double ingestEvents = in.messagesPerSecond() * in.eventsPerMessage();
        lines.add(new Line("stream input at the ingest target", String.format(Locale.ROOT, "%s msg/s x %s = %s events/s, all in ONE shard,"
                        + " drained one batch at a time (Lambda runs one batch per shard x ParallelizationFactor [esm-params])",
                f(in.messagesPerSecond()), f(in.eventsPerMessage()), f(ingestEvents)), "the shard is also capped by the partition above"));
        return lines;
    }

    record Split(List<Line> lines, int shards, double lambdas, double postsPerSecond) {
    }

    static Split split(Inputs in, int buckets) {
        List<Line> lines = new ArrayList<>();
        // Each worker posts one event to its C/K connections (FANOUT_CONCURRENCY in flight), then the next, in order.
        // To keep up with e events/s it may spend at most headroom/e seconds per event: rounds <= headroom / (e x latency).
        double allowedRounds = Math.max(1, Math.floor(in.headroom() * 1000 / (in.eventsPerSecond() * in.postLatencyMs())));
        int needed = (int) Math.ceil(in.browsers() / (in.fanoutConcurrency() * allowedRounds));
        int shards = in.connectionShards() > 0 ? in.connectionShards() : Math.max(1, needed);
        lines.add(new Line("connection shards K", String.format(Locale.ROOT, "rounds allowed per event = floor(%s x 1,000 / (%s events/s x %s ms)) = %s;"
                        + " K = ceil(%s / (%s x %s)) = %d%s", f2(in.headroom()), f(in.eventsPerSecond()), f(in.postLatencyMs()), f(allowedRounds),
                f(in.browsers()), f(in.fanoutConcurrency()), f(allowedRounds), needed,
                in.connectionShards() > 0 ? "; using --connection-shards " + shards : "; using " + shards), ""));
        double perShard = Math.ceil(in.browsers() / shards);
        double perEventMs = Math.ceil(perShard / in.fanoutConcurrency()) * in.postLatencyMs();
        double eventsPerSecond = 1000 / perEventMs;
        lines.add(new Line("one event to one connection shard", String.format(Locale.ROOT, "ceil(%s / %s) x %s ms = %s ms -> %s events/s"
                        + " per event-log shard, in order; %d event-log shards in parallel: up to %s events/s per tenant",
                f(perShard), f(in.fanoutConcurrency()), f(in.postLatencyMs()), f(perEventMs), f2(eventsPerSecond), buckets,
                f2(eventsPerSecond * buckets)), fits(in.eventsPerSecond(), eventsPerSecond, "events/s") + " even if every event is in one bucket"));
        double postsPerSecond = in.browsers() * in.eventsPerSecond();
        double inFlight = postsPerSecond * in.postLatencyMs() / 1000;
        double busyWorkers = Math.ceil(inFlight / in.fanoutConcurrency());
        double lambdas = (double) buckets * shards + buckets; // each of N stream invocations fans out to K workers at once
        lines.add(new Line("PostToConnection rate", String.format(Locale.ROOT, "%s browsers x %s events/s = %s posts/s; in flight %s x %s ms = %s",
                f(in.browsers()), f(in.eventsPerSecond()), f(postsPerSecond), f(postsPerSecond), f(in.postLatencyMs()), f(inFlight)), ""));
        lines.add(new Line("Lambda concurrency", String.format(Locale.ROOT, "at most %d stream invocations (one per event-log shard,"
                        + " ParallelizationFactor 1) x %d workers + %d = %s of %s [lambda-quotas]; busy on average: %s in flight / %s = %s workers",
                buckets, shards, buckets, f(lambdas), f(LAMBDA_CONCURRENCY), f(inFlight), f(in.fanoutConcurrency()), f(busyWorkers)),
                fits(lambdas, LAMBDA_CONCURRENCY, "concurrent")));
        lines.add(new Line("order", "the stream invocation hands batch n to the K workers (synchronous invokes, or an SQS FIFO group per"
                + " shard) and takes batch n+1 only when all answered: per bucket order holds with ParallelizationFactor 1 [with-ddb]", ""));
        lines.add(new Line("stream readers", String.format(Locale.ROOT, "one event source mapping on the event log; at most %d readers"
                + " per shard [ddb-quotas], GetRecords %s records or 1 MB per call [get-records]", STREAM_READERS_PER_SHARD, f(GET_RECORDS_MAX)), ""));
        return new Split(lines, shards, lambdas, postsPerSecond);
    }

    static List<Line> account(Inputs in, Split s) {
        List<Line> lines = new ArrayList<>();
        double requests = s.postsPerSecond() + in.messagesPerSecond();
        lines.add(new Line("API Gateway requests/s (account, all API types)", String.format(Locale.ROOT,
                "%s posts/s + %s webhooks/s = %s of %s RPS (burst %s) [apigw-quotas]: request an increase to >= %s"
                        + " (at %s%% planned use; quota L-8A5B8E43)", f(s.postsPerSecond()), f(in.messagesPerSecond()), f(requests),
                f(API_ACCOUNT_RPS), f(API_ACCOUNT_BURST), f(Math.ceil(requests / in.headroom())), f(in.headroom() * 100)),
                fits(requests, API_ACCOUNT_RPS, "RPS")));
        double billable = Math.ceil(in.eventBytes() / WS_FRAME_BYTES);
        lines.add(new Line("message size", String.format(Locale.ROOT, "%s B per event: %s billed message(s) (32 KB increments); frame %s KB,"
                        + " message %s KB, no increase [ws-quotas]", f(in.eventBytes()), f(billable), f(WS_FRAME_BYTES / 1024.0),
                f(WS_MESSAGE_BYTES / 1024.0)), in.eventBytes() <= WS_MESSAGE_BYTES ? "fits" : "TOO BIG: preview + read API"));
        double reconnect = in.browsers() / WS_NEW_CONNECTIONS_PER_S;
        double steady = in.browsers() / WS_MAX_CONNECTION_S;
        lines.add(new Line("new connections", String.format(Locale.ROOT, "steady %s / 7,200 s (2-hour cap) = %s/s; all at once after an outage:"
                        + " %s / %s per s = %s s [ws-quotas]", f(in.browsers()), f2(steady), f(in.browsers()), f(WS_NEW_CONNECTIONS_PER_S),
                f(reconnect)), fits(steady, WS_NEW_CONNECTIONS_PER_S, "conn/s")));
        double everyEvent = in.messagesPerSecond() * in.eventsPerMessage() * in.browsers();
        lines.add(new Line("every event of a 1,000 msg/s tenant to every browser", String.format(Locale.ROOT, "%s x %s x %s = %s posts/s",
                f(in.messagesPerSecond()), f(in.eventsPerMessage()), f(in.browsers()), f(everyEvent)),
                "not servable by any quota: each agent must subscribe to its own conversations (the 10 events/s per browser target)"));
        return lines;
    }

    static List<Line> cost(Inputs in) {
        List<Line> lines = new ArrayList<>();
        double wruPerMonth = in.messagesPerSecond() * in.wruPerMessage() * SECONDS_PER_MONTH;
        double rruPerMonth = in.messagesPerSecond() * in.rruPerMessage() * SECONDS_PER_MONTH;
        lines.add(new Line("DynamoDB writes", String.format(Locale.ROOT, "%s msg/s x %s WRU x 2,592,000 s = %s WRU x $0.625/M = $%s/month"
                        + " ($%s per million messages) [ddb-price]", f(in.messagesPerSecond()), f2(in.wruPerMessage()), f(wruPerMonth),
                f(wruPerMonth * PRICE_WRU), f2(in.wruPerMessage() * 1e6 * PRICE_WRU)), ""));
        lines.add(new Line("DynamoDB reads", String.format(Locale.ROOT, "%s RRU/msg: $%s/month; stream reads by the Lambda trigger: free [ddb-price]",
                f2(in.rruPerMessage()), f(rruPerMonth * PRICE_RRU)), ""));
        double messages = in.browsers() * in.eventsPerSecond() * Math.ceil(in.eventBytes() / WS_FRAME_BYTES) * SECONDS_PER_MONTH;
        double first = Math.min(messages, 1e9);
        double wsCost = first * PRICE_WS_MESSAGE + (messages - first) * PRICE_WS_MESSAGE_OVER;
        lines.add(new Line("API Gateway messages", String.format(Locale.ROOT, "%s posts/s x 2,592,000 s = %s messages: 1 billion x $1.00/M"
                        + " + rest x $0.80/M = $%s/month [apigw-price]", f(in.browsers() * in.eventsPerSecond()), f(messages), f(wsCost)), ""));
        lines.add(new Line("per event per browser", String.format(Locale.ROOT, "$%s (one 32 KB-metered message) [apigw-price]",
                String.format(Locale.ROOT, "%.7f", PRICE_WS_MESSAGE)), ""));
        double minutes = in.browsers() * SECONDS_PER_MONTH / 60;
        lines.add(new Line("API Gateway connection minutes", String.format(Locale.ROOT, "%s browsers x 43,200 min = %s x $0.25/M = $%s/month"
                + " [apigw-price]", f(in.browsers()), f(minutes), f(minutes * PRICE_WS_MINUTE)), ""));
        lines.add(new Line("not modelled", "Lambda GB-seconds and requests, data transfer, CloudWatch, free tiers", ""));
        return lines;
    }

    // ---------------------------------------------------------------- formatting

    private static void section(StringBuilder out, String title, List<Line> lines) {
        out.append('\n').append(title).append('\n');
        for (Line line : lines) {
            out.append("  - ").append(line.what()).append(": ").append(line.arithmetic());
            if (!line.verdict().isEmpty()) {
                out.append("  => ").append(line.verdict());
            }
            out.append('\n');
        }
    }

    static String fits(double demand, double ceiling, String unit) {
        double ratio = demand / ceiling;
        return ratio <= 1 ? String.format(Locale.ROOT, "fits (%s%% of the ceiling)", f(ratio * 100))
                : String.format(Locale.ROOT, "EXCEEDS: %s %s needed, %s available (%sx)", f(demand), unit, f(ceiling), f2(ratio));
    }

    static String f(double value) {
        if (Math.abs(value - Math.rint(value)) < 1e-9 || Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%,.1f", value);
    }

    static String f2(double value) {
        return String.format(Locale.ROOT, "%,.2f", value);
    }
}
