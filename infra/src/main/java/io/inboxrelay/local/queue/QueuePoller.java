package io.inboxrelay.local.queue;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.local.lambda.FunctionError;
import io.inboxrelay.local.lambda.LambdaEvent;
import io.inboxrelay.local.lambda.LocalFunction;
import io.inboxrelay.local.queue.LocalQueue.Received;
import io.inboxrelay.local.template.QueueTriggerSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SQS event source mapping, with Lambda's semantics: receive up to BatchSize messages, invoke
 * the function synchronously with an {@link SQSEvent}, delete the batch when the invocation
 * succeeds (all but the reported messages with ReportBatchItemFailures), and leave a failed batch
 * alone: its messages become visible again once the queue's visibility timeout passes, and the
 * queue's redrive policy (or retention period) decides when they stop coming back. A reported
 * message becomes visible when its visibility timeout ends, which the function may have changed with
 * ChangeMessageVisibility (the receipt handle of its SQSEvent works on the SQS endpoint). On a FIFO
 * queue the queue itself holds a group back while one of its messages is in flight.
 */
public final class QueuePoller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueuePoller.class);

    private final QueueTriggerSpec trigger;
    private final LocalQueue queue;
    private final LocalFunction function;
    private final String region;
    private final Duration pollInterval;
    private Thread thread;
    private volatile boolean running;

    public QueuePoller(QueueTriggerSpec trigger, LocalQueue queue, LocalFunction function, String region, Duration pollInterval) {
        this.trigger = trigger;
        this.queue = queue;
        this.function = function;
        this.region = region;
        this.pollInterval = pollInterval;
    }

    public QueuePoller start() {
        if (function.spec().timeout().compareTo(queue.spec().visibilityTimeout()) > 0) {
            LOG.atWarn().addKeyValue("function", trigger.functionId()).addKeyValue("queue", queue.spec().logicalId())
                    .log("the function's Timeout exceeds the queue's VisibilityTimeout; AWS refuses this event source mapping");
        }
        running = true;
        thread = new Thread(this::run, "sqs-" + trigger.functionId());
        thread.setDaemon(true);
        thread.start();
        LOG.atInfo().addKeyValue("function", trigger.functionId()).addKeyValue("queue", queue.spec().logicalId())
                .addKeyValue("batchSize", trigger.batchSize()).log("queue poller started");
        return this;
    }

    public QueueTriggerSpec trigger() {
        return trigger;
    }

    private void run() {
        while (running) {
            try {
                if (!pollOnce()) {
                    LockSupport.parkNanos(pollInterval.toNanos());
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.atWarn().addKeyValue("function", trigger.functionId()).log("queue poll failed: {}", e.toString());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
    }

    private boolean pollOnce() {
        int visible = queue.visibleCount();
        if (visible == 0) {
            return false;
        }
        long oldest = queue.oldestVisibleSentAt();
        if (visible < trigger.batchSize() && System.currentTimeMillis() - oldest < trigger.batchingWindow().toMillis()) {
            return false;
        }
        List<Received> batch = queue.receive(trigger.batchSize());
        if (batch.isEmpty()) {
            return false;
        }
        for (Received message : settle(batch, invoke(batch))) {
            queue.delete(message.receiptHandle());
        }
        return true;
    }

    /** @return the function's result, or null when the invocation failed */
    private JsonNode invoke(List<Received> batch) {
        ArrayNode records = Json.MAPPER.createArrayNode();
        List<SQSEvent.SQSMessage> typed = new ArrayList<>();
        for (Received message : batch) {
            records.add(json(message));
            typed.add(typed(message));
        }
        ObjectNode json = Json.object();
        json.set("Records", records);
        SQSEvent event = new SQSEvent();
        event.setRecords(typed);
        long started = System.nanoTime();
        try {
            JsonNode result = function.invoke(new LambdaEvent(json, event));
            LOG.atInfo().addKeyValue("api", "sqs").addKeyValue("function", function.name()).addKeyValue("batchSize", batch.size())
                    .addKeyValue("tookMs", (System.nanoTime() - started) / 1_000_000).log("batch");
            return result;
        } catch (FunctionError e) {
            LOG.atWarn().addKeyValue("function", function.name()).addKeyValue("batchSize", batch.size())
                    .addKeyValue("errorType", e.errorType()).addKeyValue("visibilityTimeoutS", queue.spec().visibilityTimeout().toSeconds())
                    .log("queue batch failed; its messages come back after the visibility timeout: {}", e.getMessage());
            return null;
        }
    }

    /**
     * The messages to delete: none after a failed invocation; with ReportBatchItemFailures, all but
     * the reported ones (an identifier that is not in the batch fails the whole batch, as in Lambda).
     */
    private List<Received> settle(List<Received> batch, JsonNode result) {
        if (result == null) {
            return List.of();
        }
        JsonNode failures = result.path("batchItemFailures");
        if (!trigger.reportBatchItemFailures() || !failures.isArray() || failures.isEmpty()) {
            return batch;
        }
        Set<String> ids = new HashSet<>();
        batch.forEach(message -> ids.add(message.messageId()));
        Set<String> failed = new HashSet<>();
        for (JsonNode failure : failures) {
            String id = failure.path("itemIdentifier").asText("");
            if (!ids.contains(id)) {
                LOG.atWarn().addKeyValue("function", function.name())
                        .log("batchItemFailures names a message not in the batch; the whole batch is retried");
                return List.of();
            }
            failed.add(id);
        }
        if (queue.spec().fifo()) {
            warnOnOrderBreak(batch, failed);
        }
        return batch.stream().filter(message -> !failed.contains(message.messageId())).toList();
    }

    /**
     * Lambda deletes what is not reported, so a function that reports a FIFO message failed but not the later
     * messages of its group has them deleted before it: in AWS they would be processed out of order. Said here,
     * where it can be fixed, rather than found in production.
     */
    private void warnOnOrderBreak(List<Received> batch, Set<String> failed) {
        Set<String> failedGroups = new HashSet<>();
        for (Received message : batch) {
            String group = message.attributes().get("MessageGroupId");
            if (failed.contains(message.messageId())) {
                failedGroups.add(group);
            } else if (failedGroups.contains(group)) {
                LOG.atWarn().addKeyValue("function", function.name()).addKeyValue("queue", queue.spec().logicalId())
                        .addKeyValue("messageId", message.messageId())
                        .log("FIFO batch: a message was reported failed but a later message of its group was not; "
                                + "Lambda deletes the later one, out of order (report the group's later messages too)");
                return;
            }
        }
    }

    private ObjectNode json(Received message) {
        ObjectNode json = Json.object();
        json.put("messageId", message.messageId());
        json.put("receiptHandle", message.receiptHandle());
        json.put("body", message.body());
        ObjectNode attributes = json.putObject("attributes");
        message.attributes().forEach(attributes::put);
        json.putObject("messageAttributes");
        json.put("md5OfBody", message.md5OfBody());
        json.put("eventSource", "aws:sqs");
        json.put("eventSourceARN", queue.arn());
        json.put("awsRegion", region);
        return json;
    }

    private SQSEvent.SQSMessage typed(Received message) {
        SQSEvent.SQSMessage typed = new SQSEvent.SQSMessage();
        typed.setMessageId(message.messageId());
        typed.setReceiptHandle(message.receiptHandle());
        typed.setBody(message.body());
        typed.setMd5OfBody(message.md5OfBody());
        typed.setAttributes(message.attributes());
        typed.setMessageAttributes(new HashMap<>());
        typed.setEventSource("aws:sqs");
        typed.setEventSourceArn(queue.arn());
        typed.setAwsRegion(region);
        return typed;
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
