package io.inboxrelay.local.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.local.lambda.FunctionError;
import io.inboxrelay.local.lambda.LambdaEvent;
import io.inboxrelay.local.lambda.LocalFunction;
import io.inboxrelay.local.template.StreamMappingSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * One DynamoDB stream event source mapping, with Lambda's semantics: records filtered by the
 * mapping's criteria and batched (batch size, batching window). Each shard has ParallelizationFactor
 * lanes; a record goes to the lane its item key (partition and sort key) hashes to, since Lambda
 * keeps order per item, not per partition key, when it runs several batches of a shard at once.
 * Each lane has one batch in flight; a failing batch blocks its lane while it is retried (from the
 * lowest failed sequence number with ReportBatchItemFailures, halved with
 * BisectBatchOnFunctionError), until it succeeds, runs out of retries or grows too old; then its
 * range goes to the on-failure destination and the lane moves on. It polls every few milliseconds
 * so local delivery stays fast.
 */
public final class StreamPoller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamPoller.class);

    /**
     * @param pollInterval pause between empty polls
     * @param retryBackoff first pause before a retry (doubles per attempt, at most one second)
     */
    public record Timing(Duration pollInterval, Duration retryBackoff) {
        public static final Timing FAST = new Timing(Duration.ofMillis(10), Duration.ofMillis(20));
    }

    private final StreamMappingSpec mapping;
    private final LocalFunction function;
    private final DynamoDbClient dynamo;
    private final DynamoDbStreamsClient streams;
    private final String region;
    private final Timing timing;
    private final Consumer<OnFailureRecord> onFailure;
    private final List<OnFailureRecord> failures = new CopyOnWriteArrayList<>();
    private final Map<String, ShardCursor> shards = new LinkedHashMap<>();
    private final Set<String> finishedShards = new HashSet<>();
    private final ExecutorService lanes;
    private String streamArn;
    private Thread thread;
    private volatile boolean running;
    private long lastShardRefresh;

    /** One of a shard's ParallelizationFactor concurrent batch streams: records of an item always land in the same lane. */
    private static final class Lane {
        final List<Record> buffer = new ArrayList<>();
        long firstBufferedAt;
        /** Set by the poll thread when it hands a batch to a worker, cleared by the worker when the batch is settled. */
        volatile boolean inFlight;
    }

    private static final class ShardCursor {
        final String shardId;
        String iterator;
        String lastSequenceNumber;
        final Lane[] lanes;

        ShardCursor(String shardId, String iterator, int parallelizationFactor) {
            this.shardId = shardId;
            this.iterator = iterator;
            this.lanes = new Lane[parallelizationFactor];
            for (int i = 0; i < lanes.length; i++) {
                lanes[i] = new Lane();
            }
        }

        int buffered() {
            int count = 0;
            for (Lane lane : lanes) {
                count += lane.buffer.size();
            }
            return count;
        }

        boolean settled() {
            for (Lane lane : lanes) {
                if (lane.inFlight || !lane.buffer.isEmpty()) {
                    return false;
                }
            }
            return true;
        }
    }

    private enum Outcome { SUCCESS, PARTIAL, ERROR }

    public StreamPoller(StreamMappingSpec mapping, LocalFunction function, DynamoDbClient dynamo, DynamoDbStreamsClient streams,
                        String region, Timing timing) {
        this(mapping, function, dynamo, streams, region, timing, record -> { });
    }

    /** @param onFailure where a record given up on goes besides {@link #failures()}: the mapping's on-failure destination */
    public StreamPoller(StreamMappingSpec mapping, LocalFunction function, DynamoDbClient dynamo, DynamoDbStreamsClient streams,
                        String region, Timing timing, Consumer<OnFailureRecord> onFailure) {
        this.mapping = mapping;
        this.function = function;
        this.dynamo = dynamo;
        this.streams = streams;
        this.region = region;
        this.timing = timing;
        this.onFailure = onFailure;
        AtomicInteger workers = new AtomicInteger();
        this.lanes = Executors.newCachedThreadPool(task -> {
            Thread worker = new Thread(task, "stream-" + mapping.functionId() + "-lane-" + workers.incrementAndGet());
            worker.setDaemon(true);
            return worker;
        });
    }

    /**
     * Positions on every shard before returning: with LATEST, anything written after start() is
     * delivered and nothing before; with TRIM_HORIZON, every record the shards still hold is.
     */
    public StreamPoller start() {
        streamArn = dynamo.describeTable(r -> r.tableName(mapping.tableId())).table().latestStreamArn();
        if (streamArn == null) {
            throw new IllegalStateException("table " + mapping.tableId() + " has no stream, but " + mapping.functionId() + " is triggered by it");
        }
        refreshShards(true);
        running = true;
        thread = new Thread(this::run, "stream-" + mapping.functionId());
        thread.setDaemon(true);
        thread.start();
        LOG.atInfo().addKeyValue("function", mapping.functionId()).addKeyValue("table", mapping.tableId())
                .addKeyValue("batchSize", mapping.batchSize()).addKeyValue("maxRetries", mapping.maxRetries())
                .addKeyValue("parallelizationFactor", mapping.parallelizationFactor())
                .addKeyValue("startingPosition", mapping.startingPosition())
                .log("stream poller started");
        return this;
    }

    /** Records given up on, oldest first (also logged). */
    public List<OnFailureRecord> failures() {
        return List.copyOf(failures);
    }

    public StreamMappingSpec mapping() {
        return mapping;
    }

    private void run() {
        while (running) {
            try {
                if (!pollOnce()) {
                    LockSupport.parkNanos(timing.pollInterval().toNanos());
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.atWarn().addKeyValue("function", mapping.functionId()).log("stream poll failed: {}", e.toString());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
    }

    /** @return whether anything was read or processed */
    private boolean pollOnce() {
        if (System.currentTimeMillis() - lastShardRefresh > 1000) {
            refreshShards(false);
        }
        boolean busy = false;
        for (ShardCursor cursor : new ArrayList<>(shards.values())) {
            // Read ahead while lanes are busy, but not without bound.
            if (cursor.buffered() < readAheadLimit()) {
                busy |= read(cursor);
            }
            busy |= dispatch(cursor);
            if (cursor.iterator == null && cursor.settled()) {
                finishedShards.add(cursor.shardId);
                shards.remove(cursor.shardId);
                lastShardRefresh = 0; // its children may start now
            }
        }
        return busy;
    }

    private int readAheadLimit() {
        return Math.max(1000, mapping.batchSize() * mapping.parallelizationFactor() * 4);
    }

    private boolean read(ShardCursor cursor) {
        if (cursor.iterator == null) {
            return false;
        }
        GetRecordsResponse response;
        try {
            response = streams.getRecords(r -> r.shardIterator(cursor.iterator).limit(1000));
        } catch (ExpiredIteratorException | TrimmedDataAccessException e) {
            // DynamoDB Local invalidates an idle LATEST iterator once records arrive: continue after the last record read.
            cursor.iterator = reposition(cursor);
            return false;
        }
        cursor.iterator = response.nextShardIterator();
        for (Record record : response.records()) {
            cursor.lastSequenceNumber = record.dynamodb().sequenceNumber();
            // Filtered-out records are dropped before batching, as Lambda does.
            if (EventPattern.anyMatches(mapping.filters(), StreamRecords.json(record, streamArn, region))) {
                Lane lane = cursor.lanes[laneOf(record, cursor.lanes.length)];
                if (lane.buffer.isEmpty()) {
                    lane.firstBufferedAt = System.currentTimeMillis();
                }
                lane.buffer.add(record);
            }
        }
        return !response.records().isEmpty();
    }

    /** The sequence number of the newest record the shard holds now, or null when it holds none. */
    private String lastSequenceNumber(String shardId) {
        String last = null;
        String iterator = streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        while (iterator != null) {
            String current = iterator;
            GetRecordsResponse page = streams.getRecords(r -> r.shardIterator(current).limit(1000));
            if (page.records().isEmpty()) {
                break;
            }
            last = page.records().get(page.records().size() - 1).dynamodb().sequenceNumber();
            iterator = page.nextShardIterator();
        }
        return last;
    }

    private String reposition(ShardCursor cursor) {
        if (cursor.lastSequenceNumber != null) {
            try {
                return streams.getShardIterator(r -> r.streamArn(streamArn).shardId(cursor.shardId)
                        .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(cursor.lastSequenceNumber)).shardIterator();
            } catch (TrimmedDataAccessException e) {
                LOG.atWarn().addKeyValue("function", mapping.functionId()).log("stream position trimmed; reading from the oldest record");
            }
        }
        return streams.getShardIterator(r -> r.streamArn(streamArn).shardId(cursor.shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
    }

    /**
     * The lane of a record: a hash of its item key (every key attribute: partition and sort key), so
     * the records of one item stay in order while items of one partition key may run concurrently.
     * AWS does not publish its hash; any stable one gives the same guarantees.
     */
    static int laneOf(Record record, int laneCount) {
        if (laneCount == 1 || !record.dynamodb().hasKeys()) {
            return 0;
        }
        try {
            byte[] digest = MessageDigest.getInstance("MD5")
                    .digest(new TreeMap<>(record.dynamodb().keys()).toString().getBytes(StandardCharsets.UTF_8));
            int hash = ((digest[0] & 0xff) << 24) | ((digest[1] & 0xff) << 16) | ((digest[2] & 0xff) << 8) | (digest[3] & 0xff);
            return Math.floorMod(hash, laneCount);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Hands each idle lane its next batch: a full one, or a partial one once the batching window has
     * passed (at once when the shard is closed and read to its end).
     */
    private boolean dispatch(ShardCursor cursor) {
        boolean worked = false;
        for (Lane lane : cursor.lanes) {
            if (lane.inFlight || lane.buffer.isEmpty()) {
                continue;
            }
            boolean full = lane.buffer.size() >= mapping.batchSize();
            boolean windowPassed = System.currentTimeMillis() - lane.firstBufferedAt >= mapping.batchingWindow().toMillis();
            if (!full && !windowPassed && cursor.iterator != null) {
                continue;
            }
            int size = Math.min(mapping.batchSize(), lane.buffer.size());
            List<Record> batch = new ArrayList<>(lane.buffer.subList(0, size));
            lane.buffer.subList(0, size).clear();
            lane.firstBufferedAt = System.currentTimeMillis();
            lane.inFlight = true;
            String shardId = cursor.shardId;
            Thread poll = Thread.currentThread();
            try {
                lanes.execute(() -> {
                    try {
                        process(shardId, batch, 0);
                    } catch (RuntimeException e) {
                        LOG.atWarn().addKeyValue("function", mapping.functionId()).log("stream batch processing failed: {}", e.toString());
                    } finally {
                        lane.inFlight = false;
                        LockSupport.unpark(poll);
                    }
                });
            } catch (RejectedExecutionException e) {
                lane.inFlight = false; // closing
                return worked;
            }
            worked = true;
        }
        return worked;
    }

    private void process(String shardId, List<Record> batch, int attemptsSoFar) {
        int attempts = attemptsSoFar;
        List<Record> pending = batch;
        while (!pending.isEmpty() && running) {
            pending = dropExpired(shardId, pending, attempts);
            if (pending.isEmpty()) {
                return;
            }
            List<Record> failed = new ArrayList<>();
            Outcome outcome = invoke(pending, failed);
            if (outcome == Outcome.SUCCESS) {
                return;
            }
            attempts++;
            if (mapping.maxRetries() >= 0 && attempts > mapping.maxRetries()) {
                giveUp(shardId, failed, "RetryAttemptsExhausted", attempts, outcome);
                return;
            }
            long backoff = Math.min(1000, timing.retryBackoff().toMillis() << Math.min(attempts - 1, 10));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoff));
            if (outcome == Outcome.ERROR && mapping.bisectOnError() && failed.size() > 1) {
                int half = failed.size() / 2;
                process(shardId, new ArrayList<>(failed.subList(0, half)), attempts);
                process(shardId, new ArrayList<>(failed.subList(half, failed.size())), attempts);
                return;
            }
            pending = failed;
        }
    }

    /**
     * @param failed receives the records to retry: the whole batch on an error, or those from the
     *               lowest reported sequence number on a partial failure
     */
    private Outcome invoke(List<Record> batch, List<Record> failed) {
        ArrayNode records = Json.MAPPER.createArrayNode();
        batch.forEach(record -> records.add(StreamRecords.json(record, streamArn, region)));
        ObjectNode json = Json.object();
        json.set("Records", records);
        long started = System.nanoTime();
        JsonNode result;
        try {
            result = function.invoke(new LambdaEvent(json, StreamRecords.event(batch, streamArn, region)));
        } catch (FunctionError e) {
            LOG.atWarn().addKeyValue("function", function.name()).addKeyValue("batchSize", batch.size())
                    .addKeyValue("errorType", e.errorType()).log("stream batch failed: {}", e.getMessage());
            failed.addAll(batch);
            return Outcome.ERROR;
        }
        Outcome outcome = mapping.reportBatchItemFailures() ? partial(result, batch, failed) : Outcome.SUCCESS;
        LOG.atInfo().addKeyValue("api", "stream").addKeyValue("function", function.name()).addKeyValue("batchSize", batch.size())
                .addKeyValue("failed", failed.size()).addKeyValue("tookMs", (System.nanoTime() - started) / 1_000_000).log("batch");
        return outcome;
    }

    /** ReportBatchItemFailures: retry from the lowest failed sequence number; an unknown or empty identifier fails the whole batch. */
    private static Outcome partial(JsonNode result, List<Record> batch, List<Record> failed) {
        JsonNode failures = result.path("batchItemFailures");
        if (!failures.isArray() || failures.isEmpty()) {
            return Outcome.SUCCESS;
        }
        int lowest = Integer.MAX_VALUE;
        for (JsonNode failure : failures) {
            String id = failure.path("itemIdentifier").asText("");
            int index = -1;
            for (int i = 0; i < batch.size(); i++) {
                if (batch.get(i).dynamodb().sequenceNumber().equals(id)) {
                    index = i;
                    break;
                }
            }
            if (index < 0) {
                failed.addAll(batch);
                return Outcome.ERROR;
            }
            lowest = Math.min(lowest, index);
        }
        failed.addAll(batch.subList(lowest, batch.size()));
        return Outcome.PARTIAL;
    }

    private List<Record> dropExpired(String shardId, List<Record> batch, int attempts) {
        if (mapping.maxRecordAge() == null) {
            return batch;
        }
        Instant oldest = Instant.now().minus(mapping.maxRecordAge());
        List<Record> expired = new ArrayList<>();
        List<Record> fresh = new ArrayList<>();
        for (Record record : batch) {
            Instant created = record.dynamodb().approximateCreationDateTime();
            (created != null && created.isBefore(oldest) ? expired : fresh).add(record);
        }
        if (!expired.isEmpty()) {
            giveUp(shardId, expired, "RecordAgeExceeded", attempts, Outcome.ERROR);
        }
        return fresh;
    }

    private void giveUp(String shardId, List<Record> records, String condition, int attempts, Outcome outcome) {
        ObjectNode body = Json.object();
        ObjectNode request = body.putObject("requestContext");
        request.put("requestId", java.util.UUID.randomUUID().toString());
        request.put("functionArn", "arn:aws:lambda:" + region + ":000000000000:function:" + mapping.functionId());
        request.put("condition", condition);
        request.put("approximateInvokeCount", attempts);
        ObjectNode response = body.putObject("responseContext");
        response.put("statusCode", 200);
        response.put("executedVersion", "$LATEST");
        response.put("functionError", outcome == Outcome.PARTIAL ? "" : "Unhandled");
        body.put("version", "1.0");
        body.put("timestamp", Instant.now().toString());
        ObjectNode info = body.putObject("DDBStreamBatchInfo");
        info.put("shardId", shardId);
        info.put("startSequenceNumber", records.get(0).dynamodb().sequenceNumber());
        info.put("endSequenceNumber", records.get(records.size() - 1).dynamodb().sequenceNumber());
        Instant first = records.get(0).dynamodb().approximateCreationDateTime();
        Instant last = records.get(records.size() - 1).dynamodb().approximateCreationDateTime();
        info.put("approximateArrivalOfFirstRecord", first == null ? null : first.toString());
        info.put("approximateArrivalOfLastRecord", last == null ? null : last.toString());
        info.put("batchSize", records.size());
        info.put("streamArn", streamArn);
        OnFailureRecord record = new OnFailureRecord(condition, mapping.functionId(), mapping.onFailure(), body);
        failures.add(record);
        try {
            onFailure.accept(record);
        } catch (RuntimeException e) {
            LOG.atError().addKeyValue("function", mapping.functionId()).addKeyValue("destination", mapping.onFailure())
                    .log("on-failure destination refused the record: {}", e.toString());
        }
        LOG.atWarn().addKeyValue("function", mapping.functionId()).addKeyValue("condition", condition)
                .addKeyValue("destination", mapping.onFailure()).addKeyValue("onFailure", Json.write(body))
                .log("stream records sent to the on-failure destination");
    }

    private void refreshShards(boolean initial) {
        lastShardRefresh = System.currentTimeMillis();
        List<Shard> described = streams.describeStream(r -> r.streamArn(streamArn)).streamDescription().shards();
        boolean latest = initial && "LATEST".equals(mapping.startingPosition());
        Set<String> toStart = new HashSet<>();
        for (Shard shard : described) {
            if (shards.containsKey(shard.shardId()) || finishedShards.contains(shard.shardId())) {
                continue;
            }
            boolean closed = shard.sequenceNumberRange() != null && shard.sequenceNumberRange().endingSequenceNumber() != null;
            if (latest && closed) {
                finishedShards.add(shard.shardId()); // LATEST starts at the open tips of the stream
                continue;
            }
            toStart.add(shard.shardId());
        }
        for (Shard shard : described) {
            if (!toStart.contains(shard.shardId())) {
                continue;
            }
            String parent = shard.parentShardId();
            if (parent != null && (shards.containsKey(parent) || toStart.contains(parent))) {
                continue; // children start once their parent is drained, keeping per-key order
            }
            // A shard found later is a child of one read to its end: it is read from its beginning.
            ShardIteratorType type = latest ? ShardIteratorType.LATEST : ShardIteratorType.TRIM_HORIZON;
            String iterator = streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shard.shardId()).shardIteratorType(type))
                    .shardIterator();
            ShardCursor cursor = new ShardCursor(shard.shardId(), iterator, mapping.parallelizationFactor());
            if (latest) {
                // Should the LATEST iterator have to be repositioned before it returns a record, this is where "latest" was.
                cursor.lastSequenceNumber = lastSequenceNumber(shard.shardId());
            }
            shards.put(shard.shardId(), cursor);
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lanes.shutdownNow();
        try {
            lanes.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
