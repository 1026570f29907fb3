package io.inboxrelay.local.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.local.lambda.FunctionError;
import io.inboxrelay.local.lambda.LambdaEvent;
import io.inboxrelay.local.lambda.LocalFunction;
import io.inboxrelay.local.template.StreamMappingSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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
 * mapping's criteria, batched (batch size, batching window), one batch in flight per shard, a
 * failing batch blocking its shard while it is retried (from the lowest failed sequence number with
 * ReportBatchItemFailures, halved with BisectBatchOnFunctionError), until it succeeds, runs out of
 * retries or grows too old; then its range goes to the on-failure destination (logged here) and the
 * shard moves on. It polls every few milliseconds so local delivery stays fast.
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
    private final List<OnFailureRecord> failures = new CopyOnWriteArrayList<>();
    private final Map<String, ShardCursor> shards = new LinkedHashMap<>();
    private final Set<String> finishedShards = new HashSet<>();
    private String streamArn;
    private Thread thread;
    private volatile boolean running;
    private long lastShardRefresh;

    private static final class ShardCursor {
        final String shardId;
        String iterator;
        String lastSequenceNumber;
        final List<Record> buffer = new ArrayList<>();
        long firstBufferedAt;

        ShardCursor(String shardId, String iterator) {
            this.shardId = shardId;
            this.iterator = iterator;
        }
    }

    private enum Outcome { SUCCESS, PARTIAL, ERROR }

    public StreamPoller(StreamMappingSpec mapping, LocalFunction function, DynamoDbClient dynamo, DynamoDbStreamsClient streams,
                        String region, Timing timing) {
        this.mapping = mapping;
        this.function = function;
        this.dynamo = dynamo;
        this.streams = streams;
        this.region = region;
        this.timing = timing;
    }

    /** Positions on the stream before returning, so anything written after start() is delivered (LATEST). */
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
            busy |= read(cursor);
            busy |= drain(cursor, false);
        }
        return busy;
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
                if (cursor.buffer.isEmpty()) {
                    cursor.firstBufferedAt = System.currentTimeMillis();
                }
                cursor.buffer.add(record);
            }
        }
        if (cursor.iterator == null && cursor.buffer.isEmpty()) {
            finishedShards.add(cursor.shardId);
            shards.remove(cursor.shardId);
        }
        return !response.records().isEmpty();
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

    /** Invokes the function for full batches, or for a partial one once the batching window has passed. */
    private boolean drain(ShardCursor cursor, boolean force) {
        boolean worked = false;
        while (!cursor.buffer.isEmpty()) {
            boolean full = cursor.buffer.size() >= mapping.batchSize();
            boolean windowPassed = System.currentTimeMillis() - cursor.firstBufferedAt >= mapping.batchingWindow().toMillis();
            if (!full && !windowPassed && !force && cursor.iterator != null) {
                return worked;
            }
            int size = Math.min(mapping.batchSize(), cursor.buffer.size());
            List<Record> batch = new ArrayList<>(cursor.buffer.subList(0, size));
            cursor.buffer.subList(0, size).clear();
            cursor.firstBufferedAt = System.currentTimeMillis();
            process(cursor.shardId, batch, 0);
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
        LOG.atWarn().addKeyValue("function", mapping.functionId()).addKeyValue("condition", condition)
                .addKeyValue("destination", mapping.onFailure()).addKeyValue("onFailure", Json.write(body))
                .log("stream records sent to the on-failure destination");
    }

    private void refreshShards(boolean initial) {
        lastShardRefresh = System.currentTimeMillis();
        List<Shard> described = streams.describeStream(r -> r.streamArn(streamArn)).streamDescription().shards();
        for (Shard shard : described) {
            if (shards.containsKey(shard.shardId()) || finishedShards.contains(shard.shardId())) {
                continue;
            }
            String parent = shard.parentShardId();
            if (!initial && parent != null && shards.containsKey(parent)) {
                continue; // children start once their parent is drained, keeping per-key order
            }
            boolean closed = shard.sequenceNumberRange() != null && shard.sequenceNumberRange().endingSequenceNumber() != null;
            ShardIteratorType type = initial
                    ? ShardIteratorType.fromValue(mapping.startingPosition())
                    : ShardIteratorType.TRIM_HORIZON;
            if (initial && closed && type == ShardIteratorType.LATEST) {
                finishedShards.add(shard.shardId());
                continue;
            }
            String iterator = streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shard.shardId()).shardIteratorType(type))
                    .shardIterator();
            shards.put(shard.shardId(), new ShardCursor(shard.shardId(), iterator));
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
    }
}
