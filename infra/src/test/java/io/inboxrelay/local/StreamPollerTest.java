package io.inboxrelay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboxrelay.local.fixtures.TestStreamHandler;
import io.inboxrelay.local.stream.OnFailureRecord;
import io.inboxrelay.local.stream.StreamPoller;
import java.time.Duration;
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
    void a_record_is_delivered_once_within_tens_of_milliseconds() {
        long started = System.nanoTime();
        put("fast-1", null);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> deliveries("fast-1") == 1);
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(1000);
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
        await().atMost(Duration.ofSeconds(5)).until(() -> deliveries("after-poison") == 1);
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
        await().atMost(Duration.ofSeconds(5)).until(() -> deliveries("modified-1") == 1);
        stack.dynamo().client().updateItem(r -> r.tableName("EventsTable")
                .key(Map.of("tenantId", AttributeValue.fromS("t-1"), "cursor", AttributeValue.fromS("modified-1")))
                .updateExpression("SET touched = :t").expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true))));
        put("marker", null);
        await().atMost(Duration.ofSeconds(5)).until(() -> deliveries("marker") == 1);
        assertThat(deliveries("filtered-1")).isZero();
        assertThat(deliveries("filtered-2")).isZero();
        assertThat(deliveries("modified-1")).as("a MODIFY is not an INSERT").isEqualTo(1);
    }
}
