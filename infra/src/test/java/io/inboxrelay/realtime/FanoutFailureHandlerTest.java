package io.inboxrelay.realtime;

import static io.inboxrelay.realtime.RealtimeFixtures.cursor;
import static io.inboxrelay.realtime.RealtimeFixtures.writeEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.Json;
import io.inboxrelay.handler.FanoutFailureHandler;
import io.inboxrelay.local.LocalDynamo;
import io.inboxrelay.local.template.SamTemplate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;

/**
 * A stream batch the fan-out gave up on becomes a {@code resync_required} event for each of its
 * tenants, found by reading the batch's range back from the real (DynamoDB Local) stream, as the
 * on-failure record names only the range.
 */
class FanoutFailureHandlerTest {

    private static LocalDynamo dynamo;
    private static Config config;

    @BeforeAll
    static void start() throws Exception {
        dynamo = LocalDynamo.startInMemory().createTables(SamTemplate.fromRepository());
        config = RealtimeFixtures.config(dynamo, "http://127.0.0.1:9/production", Map.of());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    void every_tenant_of_a_given_up_batch_gets_one_resync_marker_and_a_marker_itself_never_breeds_another() {
        String a = "t-a-" + UUID.randomUUID();
        String b = "t-b-" + UUID.randomUUID();
        String c = "t-c-" + UUID.randomUUID();
        String outside = "t-out-" + UUID.randomUUID();
        long now = System.currentTimeMillis();
        writeEvent(dynamo.client(), a, cursor(now), "messages");
        writeEvent(dynamo.client(), b, cursor(now + 1), "statuses");
        writeEvent(dynamo.client(), a, cursor(now + 2), "messages");
        marker(c, cursor(now + 3));
        writeEvent(dynamo.client(), outside, cursor(now + 4), "messages");
        List<Record> records = streamRecords();
        List<Record> batch = records.subList(records.size() - 5, records.size() - 1); // a, b, a, c's marker

        SQSBatchResponse response = new FanoutFailureHandler(dynamo.client(), dynamo.streams(), config, Clock.systemUTC())
                .handleRequest(sqs(onFailure(batch)), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(markers(a)).isEqualTo(1);
        assertThat(markers(b)).isEqualTo(1);
        assertThat(markers(c)).as("only its own, earlier marker").isEqualTo(1);
        assertThat(markers(outside)).isZero();
        var item = dynamo.client().query(r -> r.tableName("EventsTable").consistentRead(true)
                .keyConditionExpression("tenantId = :t").filterExpression("#type = :r")
                .expressionAttributeNames(Map.of("#type", "type"))
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(a), ":r", AttributeValue.fromS("resync_required")))).items().get(0);
        var body = Json.parse(item.get("body").s());
        assertThat(body.path("type").asText()).isEqualTo("resync_required");
        assertThat(body.path("reason").asText()).isEqualTo("delivery_failed");
        assertThat(body.path("id").asText()).isEqualTo(item.get("cursor").s());
        assertThat(body.path("tenant_id").asText()).isEqualTo(a);
    }

    @Test
    void a_queue_message_that_is_not_an_on_failure_record_is_dropped_not_retried_forever() {
        SQSBatchResponse response = new FanoutFailureHandler(dynamo.client(), dynamo.streams(), config, Clock.systemUTC())
                .handleRequest(sqs("{\"hello\":\"world\"}"), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
    }

    private static long markers(String tenant) {
        return dynamo.client().query(r -> r.tableName("EventsTable").consistentRead(true)
                .keyConditionExpression("tenantId = :t").filterExpression("#type = :r")
                .expressionAttributeNames(Map.of("#type", "type"))
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenant), ":r", AttributeValue.fromS("resync_required")))).count();
    }

    private static void marker(String tenant, String cursor) {
        dynamo.client().putItem(r -> r.tableName("EventsTable").item(Map.of(
                "tenantId", AttributeValue.fromS(tenant), "cursor", AttributeValue.fromS(cursor),
                "type", AttributeValue.fromS("resync_required"), "channel", AttributeValue.fromS("messages"),
                "body", AttributeValue.fromS("{\"type\":\"resync_required\",\"id\":\"" + cursor + "\",\"tenant_id\":\"" + tenant + "\"}"),
                "createdAt", AttributeValue.fromN(Long.toString(System.currentTimeMillis())))));
    }

    private static String streamArn() {
        return dynamo.client().describeTable(r -> r.tableName("EventsTable")).table().latestStreamArn();
    }

    /** Every record of the events table's stream, oldest first. */
    private static List<Record> streamRecords() {
        List<Record> records = new ArrayList<>();
        for (Shard shard : dynamo.streams().describeStream(r -> r.streamArn(streamArn())).streamDescription().shards()) {
            String iterator = dynamo.streams().getShardIterator(r -> r.streamArn(streamArn()).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            for (int i = 0; i < 50 && iterator != null; i++) {
                String current = iterator;
                var page = dynamo.streams().getRecords(r -> r.shardIterator(current));
                records.addAll(page.records());
                if (page.records().isEmpty()) {
                    break;
                }
                iterator = page.nextShardIterator();
            }
        }
        records.sort((x, y) -> new java.math.BigInteger(x.dynamodb().sequenceNumber()).compareTo(new java.math.BigInteger(y.dynamodb().sequenceNumber())));
        return records;
    }

    /** Lambda's on-failure record for a DynamoDB stream batch, as it lands in the queue. */
    private static String onFailure(List<Record> batch) {
        String shard = dynamo.streams().describeStream(r -> r.streamArn(streamArn())).streamDescription().shards().get(0).shardId();
        return "{\"requestContext\":{\"requestId\":\"" + UUID.randomUUID() + "\",\"functionArn\":\"arn:aws:lambda:us-east-1:000000000000:function:Fanout\","
                + "\"condition\":\"RetryAttemptsExhausted\",\"approximateInvokeCount\":6},"
                + "\"responseContext\":{\"statusCode\":200,\"executedVersion\":\"$LATEST\",\"functionError\":\"Unhandled\"},"
                + "\"version\":\"1.0\",\"timestamp\":\"2026-12-01T10:00:00.000Z\","
                + "\"DDBStreamBatchInfo\":{\"shardId\":\"" + shard + "\",\"startSequenceNumber\":\"" + batch.get(0).dynamodb().sequenceNumber()
                + "\",\"endSequenceNumber\":\"" + batch.get(batch.size() - 1).dynamodb().sequenceNumber()
                + "\",\"approximateArrivalOfFirstRecord\":\"2026-12-01T10:00:00Z\",\"approximateArrivalOfLastRecord\":\"2026-12-01T10:00:00Z\","
                + "\"batchSize\":" + batch.size() + ",\"streamArn\":\"" + streamArn() + "\"}}";
    }

    private static SQSEvent sqs(String body) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(UUID.randomUUID().toString());
        message.setBody(body);
        message.setEventSource("aws:sqs");
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        return event;
    }
}
