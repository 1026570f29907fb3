package io.inboxrelay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.local.fixtures.OrderRecordingStreamHandler;
import io.inboxrelay.local.fixtures.TestQueueHandler;
import io.inboxrelay.local.fixtures.TestStreamHandler;
import io.inboxrelay.local.queue.QueuePoller;
import io.inboxrelay.local.stream.OnFailureRecord;
import io.inboxrelay.local.stream.StreamPoller;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.local.template.StreamMappingSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

class StreamPollerTest {

    private static LocalStack stack;
    private static StreamPoller poller;

    @BeforeAll
    static void start() {
        stack = TestStacks.start(LocalStack.Options.ephemeral(TestStacks.JWT_SECRET));
        poller = stack.streamPollers().get(0);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @BeforeEach
    void forget() {
        TestStreamHandler.DELIVERIES.clear();
        TestStreamHandler.BATCHES.clear();
        OrderRecordingStreamHandler.reset();
        TestQueueHandler.FAIL_NEXT.set(0);
        TestQueueHandler.REPORT_NEXT.set(0);
    }

    private static Map<String, AttributeValue> item(String tenant, String id, String mode) {
        return mode == null
                ? Map.of("tenantId", AttributeValue.fromS(tenant), "cursor", AttributeValue.fromS(id))
                : Map.of("tenantId", AttributeValue.fromS(tenant), "cursor", AttributeValue.fromS(id), "mode", AttributeValue.fromS(mode));
    }

    private static void put(String id, String mode) {
        stack.dynamo().client().putItem(r -> r.tableName("EventsTable").item(item("t-1", id, mode)));
    }

    private static int deliveries(String id) {
        AtomicInteger count = TestStreamHandler.DELIVERIES.get(id);
        return count == null ? 0 : count.get();
    }

    @Test
    void the_mapping_is_read_from_the_template() {
        assertThat(poller.mapping().batchSize()).isEqualTo(10);
        assertThat(poller.mapping().maxRetries()).isEqualTo(2);
        assertThat(poller.mapping().bisectOnError()).isTrue();
        assertThat(poller.mapping().reportBatchItemFailures()).isTrue();
        assertThat(poller.mapping().onFailure()).isEqualTo("StreamFailureQueue.Arn");
    }

    @Test
    void a_record_is_delivered_exactly_once() {
        // How fast is a benchmark's question (bench.sh latency rows), not a test's: a busy machine must not fail it.
        put("fast-1", null);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> deliveries("fast-1") == 1);
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(30)).until(() -> true);
        assertThat(deliveries("fast-1")).isEqualTo(1);
    }

    @Test
    void a_reported_item_failure_is_retried_until_it_succeeds() {
        put("flaky-1", "flaky");
        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries("flaky-1") == 2);
        assertThat(poller.failures()).noneMatch(f -> f.body().toString().contains("flaky"));
    }

    @Test
    void a_record_that_always_fails_is_tried_once_plus_maximum_retry_attempts_then_sent_on_failure_and_the_shard_moves_on() {
        int failuresBefore = poller.failures().size();
        put("poison-1", "poison");
        await().atMost(Duration.ofSeconds(10)).until(() -> poller.failures().size() == failuresBefore + 1);
        assertThat(deliveries("poison-1")).isEqualTo(3);
        OnFailureRecord failure = poller.failures().get(failuresBefore);
        assertThat(failure.condition()).isEqualTo("RetryAttemptsExhausted");
        assertThat(failure.destination()).isEqualTo("StreamFailureQueue.Arn");
        assertThat(failure.batchSize()).isEqualTo(1);
        assertThat(failure.body().path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(3);

        put("after-poison", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries("after-poison") == 1);
    }

    @Test
    void a_throwing_batch_is_bisected_so_the_good_records_get_through() {
        int failuresBefore = poller.failures().size();
        stack.dynamo().client().transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(Put.builder().tableName("EventsTable").item(item("t-1", "good-a", null)).build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName("EventsTable").item(item("t-1", "bomb", "explode")).build()).build()));
        await().atMost(Duration.ofSeconds(10)).until(() -> poller.failures().size() == failuresBefore + 1);
        assertThat(TestStreamHandler.BATCHES).contains(List.of("good-a"));
        assertThat(poller.failures().get(failuresBefore).batchSize()).isEqualTo(1);
        assertThat(poller.failures().get(failuresBefore).startSequenceNumber()).isNotBlank();
    }

    @Test
    void records_outside_the_filter_criteria_never_reach_the_function() {
        stack.dynamo().client().putItem(r -> r.tableName("EventsTable").item(item("other-tenant", "filtered-1", null)));
        stack.dynamo().client().putItem(r -> r.tableName("EventsTable").item(Map.of(
                "tenantId", AttributeValue.fromS("t-1"), "cursor", AttributeValue.fromS("filtered-2"), "skip", AttributeValue.fromBool(true))));
        put("modified-1", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries("modified-1") == 1);
        stack.dynamo().client().updateItem(r -> r.tableName("EventsTable")
                .key(Map.of("tenantId", AttributeValue.fromS("t-1"), "cursor", AttributeValue.fromS("modified-1")))
                .updateExpression("SET touched = :t").expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true))));
        put("marker", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries("marker") == 1);
        assertThat(deliveries("filtered-1")).isZero();
        assertThat(deliveries("filtered-2")).isZero();
        assertThat(deliveries("modified-1")).as("a MODIFY is not an INSERT").isEqualTo(1);
    }

    // ------------------------------------------------------------------ ParallelizationFactor

    private static void putIn(String table, String cursor, int version, String mode) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(Map.of(
                "tenantId", AttributeValue.fromS("t-order"), "cursor", AttributeValue.fromS(cursor),
                "version", AttributeValue.fromN(Integer.toString(version))));
        if (mode != null) {
            item.put("mode", AttributeValue.fromS(mode));
        }
        stack.dynamo().client().putItem(r -> r.tableName(table).item(item));
    }

    /**
     * One partition key, many sort keys: item a is written and, once the handler holds its batch,
     * eight other items, then a twice more. Returns the stream order of the records.
     */
    private static List<String> writeOnePartitionKey(String table, String prefix) {
        List<String> written = new ArrayList<>();
        putIn(table, prefix + "a", 1, "hold");
        written.add(prefix + "a#1");
        await().atMost(Duration.ofSeconds(10)).until(OrderRecordingStreamHandler::holding);
        for (char item = 'b'; item <= 'i'; item++) {
            putIn(table, prefix + item, 1, null);
            written.add(prefix + item + "#1");
        }
        putIn(table, prefix + "a", 2, null);
        written.add(prefix + "a#2");
        putIn(table, prefix + "a", 3, null);
        written.add(prefix + "a#3");
        return written;
    }

    private static List<String> handled(String prefix) {
        return OrderRecordingStreamHandler.HANDLED.stream().filter(id -> id.startsWith(prefix)).toList();
    }

    private static StreamMappingSpec backlogMapping(String startingPosition) {
        return new StreamMappingSpec("ParallelStreamFunction", "BacklogTable", startingPosition, 10, Duration.ZERO, 1, List.of(),
                false, false, 2, null, null, true);
    }

    private static StreamPoller backlogPoller(String startingPosition) {
        return new StreamPoller(backlogMapping(startingPosition), stack.function("ParallelStreamFunction"), stack.dynamo().client(),
                stack.dynamo().streams(), SamTemplate.LOCAL_REGION, StreamPoller.Timing.FAST).start();
    }

    @Test
    void the_parallelization_factor_and_starting_position_are_read_from_the_template() {
        StreamMappingSpec parallel = stack.streamPollers().stream().map(StreamPoller::mapping)
                .filter(mapping -> mapping.functionId().equals("ParallelStreamFunction")).findFirst().orElseThrow();
        assertThat(parallel.parallelizationFactor()).isEqualTo(4);
        assertThat(parallel.startingPosition()).isEqualTo("TRIM_HORIZON");
        assertThat(poller.mapping().parallelizationFactor()).as("the default").isEqualTo(1);
        assertThat(poller.mapping().startingPosition()).isEqualTo("LATEST");
    }

    @Test
    void with_parallelization_factor_4_items_of_one_partition_key_overtake_a_slow_batch_and_each_item_keeps_its_order() {
        List<String> written = writeOnePartitionKey("ParallelEventsTable", "p4-");
        await().atMost(Duration.ofSeconds(15)).until(() -> handled("p4-").size() == written.size());
        List<String> handled = handled("p4-");
        assertThat(handled).containsExactlyInAnyOrderElementsOf(written);
        assertThat(OrderRecordingStreamHandler.HANDLED_WHILE_HELD).as("records of other items handled while a's batch was in flight")
                .anyMatch(id -> id.startsWith("p4-"));
        assertThat(handled.indexOf("p4-a#1")).as("a later record overtook a#1").isPositive();
        assertThat(handled.indexOf("p4-a#1")).isLessThan(handled.indexOf("p4-a#2"));
        assertThat(handled.indexOf("p4-a#2")).isLessThan(handled.indexOf("p4-a#3"));
    }

    @Test
    void with_parallelization_factor_1_records_are_handled_in_stream_order() {
        try (StreamPoller serial = backlogPoller("LATEST")) {
            List<String> written = writeOnePartitionKey("BacklogTable", "p1-");
            await().atMost(Duration.ofSeconds(15)).until(() -> handled("p1-").size() == written.size());
            assertThat(handled("p1-")).containsExactlyElementsOf(written);
            assertThat(OrderRecordingStreamHandler.HANDLED_WHILE_HELD).noneMatch(id -> id.startsWith("p1-"));
        }
    }

    // ------------------------------------------------------------------ StartingPosition

    @Test
    void trim_horizon_starts_from_the_oldest_record_of_the_stream() {
        putIn("BacklogTable", "th-1", 1, null);
        putIn("BacklogTable", "th-2", 1, null);
        try (StreamPoller fromOldest = backlogPoller("TRIM_HORIZON")) {
            putIn("BacklogTable", "th-3", 1, null);
            await().atMost(Duration.ofSeconds(15)).until(() -> handled("th-").size() == 3);
            assertThat(handled("th-")).containsExactly("th-1#1", "th-2#1", "th-3#1");
        }
    }

    @Test
    void latest_starts_after_the_records_already_in_the_stream() {
        putIn("BacklogTable", "la-1", 1, null);
        putIn("BacklogTable", "la-2", 1, null);
        try (StreamPoller fromNow = backlogPoller("LATEST")) {
            putIn("BacklogTable", "la-3", 1, null);
            await().atMost(Duration.ofSeconds(10)).until(() -> handled("la-").contains("la-3#1"));
            // la-1 and la-2 come before la-3 in the shard: a reader that took them would have handled them first.
            assertThat(handled("la-")).containsExactly("la-3#1");
        }
    }

    // ------------------------------------------------------------------ on-failure destination -> SQS -> function

    private static List<SQSEvent.SQSMessage> receivedFor(String startSequenceNumber) {
        return TestQueueHandler.RECEIVED.stream()
                .filter(message -> startSequenceNumber.equals(Json.parse(message.getBody()).path("DDBStreamBatchInfo").path("startSequenceNumber").asText()))
                .toList();
    }

    private static OnFailureRecord poison(String id) {
        await().atMost(Duration.ofSeconds(10)).until(() -> stack.queue("StreamFailureQueue").bodies().isEmpty());
        int failuresBefore = poller.failures().size();
        put(id, "poison");
        await().atMost(Duration.ofSeconds(10)).until(() -> poller.failures().size() == failuresBefore + 1);
        return poller.failures().get(failuresBefore);
    }

    @Test
    void a_batch_given_up_on_reaches_the_queues_function_as_an_sqs_event_carrying_the_on_failure_record() {
        OnFailureRecord failure = poison("to-queue-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> receivedFor(failure.startSequenceNumber()).size() == 1);
        SQSEvent.SQSMessage message = receivedFor(failure.startSequenceNumber()).get(0);
        JsonNode body = Json.parse(message.getBody());
        assertThat(body).isEqualTo(failure.body());
        assertThat(body.path("requestContext").path("condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(body.path("DDBStreamBatchInfo").path("batchSize").asInt()).isEqualTo(1);
        assertThat(body.path("DDBStreamBatchInfo").path("streamArn").asText()).contains("EventsTable");
        assertThat(message.getEventSource()).isEqualTo("aws:sqs");
        assertThat(message.getEventSourceArn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:StreamFailureQueue");
        assertThat(message.getAwsRegion()).isEqualTo("us-east-1");
        assertThat(message.getMessageId()).isNotBlank();
        assertThat(message.getReceiptHandle()).isNotBlank();
        assertThat(message.getMd5OfBody()).hasSize(32);
        assertThat(message.getAttributes()).containsEntry("ApproximateReceiveCount", "1")
                .containsKeys("SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp");
        await().atMost(Duration.ofSeconds(30)).until(() -> stack.queue("StreamFailureQueue").bodies().isEmpty());
    }

    @Test
    void a_failed_queue_invocation_gets_the_message_again_after_the_visibility_timeout() {
        TestQueueHandler.FAIL_NEXT.set(1);
        OnFailureRecord failure = poison("to-queue-2");
        await().atMost(Duration.ofSeconds(10)).until(() -> receivedFor(failure.startSequenceNumber()).size() == 2);
        List<SQSEvent.SQSMessage> deliveries = receivedFor(failure.startSequenceNumber());
        assertThat(deliveries.get(1).getMessageId()).isEqualTo(deliveries.get(0).getMessageId());
        assertThat(deliveries.get(1).getReceiptHandle()).isNotEqualTo(deliveries.get(0).getReceiptHandle());
        assertThat(deliveries.get(1).getAttributes()).containsEntry("ApproximateReceiveCount", "2");
        await().atMost(Duration.ofSeconds(30)).until(() -> stack.queue("StreamFailureQueue").bodies().isEmpty());
    }

    @Test
    void a_message_reported_in_batch_item_failures_comes_back_after_the_visibility_timeout() {
        TestQueueHandler.REPORT_NEXT.set(1);
        OnFailureRecord failure = poison("to-queue-4");
        await().atMost(Duration.ofSeconds(10)).until(() -> receivedFor(failure.startSequenceNumber()).size() == 2);
        assertThat(receivedFor(failure.startSequenceNumber()).get(1).getAttributes()).containsEntry("ApproximateReceiveCount", "2");
        await().atMost(Duration.ofSeconds(30)).until(() -> stack.queue("StreamFailureQueue").bodies().isEmpty());
    }

    @Test
    void a_queue_message_that_keeps_failing_moves_to_the_dead_letter_queue_after_max_receive_count() {
        TestQueueHandler.FAIL_NEXT.set(1000);
        try {
            OnFailureRecord failure = poison("to-queue-3");
            await().atMost(Duration.ofSeconds(15)).until(() -> stack.queue("StreamFailureDeadLetterQueue").bodies().stream()
                    .anyMatch(body -> body.contains(failure.startSequenceNumber())));
            assertThat(receivedFor(failure.startSequenceNumber())).as("maxReceiveCount receives").hasSize(3);
            assertThat(stack.queue("StreamFailureDeadLetterQueue").arn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:stream-failures-dlq");
        } finally {
            TestQueueHandler.FAIL_NEXT.set(0);
        }
    }

    @Test
    void an_sqs_triggered_function_whose_handler_is_not_written_yet_is_skipped_and_the_other_is_wired() {
        assertThat(stack.queuePollers()).extracting(queuePoller -> queuePoller.trigger().functionId())
                .containsExactly("FailureQueueFunction");
    }
}
