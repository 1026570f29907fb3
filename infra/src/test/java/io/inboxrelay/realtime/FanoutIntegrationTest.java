package io.inboxrelay.realtime;

import static io.inboxrelay.realtime.RealtimeFixtures.connectionExists;
import static io.inboxrelay.realtime.RealtimeFixtures.load;
import static io.inboxrelay.realtime.RealtimeFixtures.registerConnection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.config.Clients;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.Json;
import io.inboxrelay.handler.FanoutHandler;
import io.inboxrelay.local.LocalDynamo;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.push.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stream fan-out against DynamoDB Local and a management endpoint that misbehaves on request. */
class FanoutIntegrationTest {

    private static LocalDynamo dynamo;
    private static FakeManagementApi api;
    private static FanoutHandler handler;

    // Connection ids differ per test (DynamoDB Local is shared by the class), tenants too.
    private String tenantA;
    private String tenantB;

    @BeforeAll
    static void start() throws Exception {
        dynamo = LocalDynamo.startInMemory().createTables(SamTemplate.fromRepository());
        api = new FakeManagementApi();
        Config config = RealtimeFixtures.config(dynamo, api.endpoint(), Map.of());
        handler = new FanoutHandler(dynamo.client(), Clients.management(api.endpoint()), config,
                new Backoff(5, Duration.ofMillis(5), Duration.ofMillis(40)));
    }

    @AfterAll
    static void stop() {
        api.close();
        dynamo.close();
    }

    @BeforeEach
    void freshTenants() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        tenantA = "tenant-a-" + run;
        tenantB = "tenant-b-" + run;
    }

    @Test
    void each_tenants_browsers_receive_the_batchs_events_of_their_channels_and_nothing_of_another_tenant() {
        registerConnection(dynamo.client(), tenantA, tenantA + "-all", "messages", "statuses", "sessions");
        registerConnection(dynamo.client(), tenantA, tenantA + "-messages-only", "messages");
        registerConnection(dynamo.client(), tenantB, tenantB + "-all", "messages", "statuses", "sessions");

        StreamsEventResponse response = handler.handleRequest(batchFor(tenantA, tenantB), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(types(api.received(tenantA + "-all"))).containsExactly("new_message", "message_status");
        assertThat(types(api.received(tenantA + "-messages-only"))).containsExactly("new_message");
        assertThat(types(api.received(tenantB + "-all"))).containsExactly("session_status");
        JsonNode message = Json.parse(api.received(tenantA + "-all").get(0));
        assertThat(message.path("tenant_id").asText()).isEqualTo("tenant-a");
        assertThat(message.path("message").path("content").asText()).isEqualTo("Hola, ¿tienen disponibilidad mañana?");
        assertThat(message.path("id").asText()).isEqualTo("1768990522411-Qm4xT7pLza");
    }

    @Test
    void a_closed_socket_is_deleted_and_the_others_still_receive_the_event() {
        registerConnection(dynamo.client(), tenantA, tenantA + "-stale", "messages", "statuses");
        registerConnection(dynamo.client(), tenantA, tenantA + "-open", "messages", "statuses");
        api.markGone(tenantA + "-stale");

        StreamsEventResponse response = handler.handleRequest(batchFor(tenantA, tenantB), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(types(api.received(tenantA + "-open"))).containsExactly("new_message", "message_status");
        assertThat(connectionExists(dynamo.client(), tenantA, tenantA + "-stale")).isFalse();
        assertThat(connectionExists(dynamo.client(), tenantA, tenantA + "-open")).isTrue();
    }

    @Test
    void throttled_and_failing_posts_are_retried_until_they_are_delivered() {
        registerConnection(dynamo.client(), tenantA, tenantA + "-flaky", "messages", "statuses");
        api.script(tenantA + "-flaky", 429, 500, 429, 503);

        StreamsEventResponse response = handler.handleRequest(batchFor(tenantA, tenantB), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(types(api.received(tenantA + "-flaky"))).containsExactly("new_message", "message_status");
    }

    @Test
    void a_record_that_stays_throttled_is_reported_with_every_later_record_of_its_tenant_but_other_tenants_proceed() {
        registerConnection(dynamo.client(), tenantA, tenantA + "-throttled", "messages", "statuses");
        registerConnection(dynamo.client(), tenantB, tenantB + "-ok", "sessions");
        api.failAlways(tenantA + "-throttled", 429);

        StreamsEventResponse response = handler.handleRequest(batchFor(tenantA, tenantB), null);

        // Record 1 (tenant A) fails; record 2 (tenant A) is held behind it to keep order; record 3 (tenant B) is delivered.
        assertThat(response.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("4421584500000000017450439091", "4421584500000000017450439092");
        assertThat(api.received(tenantA + "-throttled")).isEmpty();
        assertThat(types(api.received(tenantB + "-ok"))).containsExactly("session_status");
        assertThat(connectionExists(dynamo.client(), tenantA, tenantA + "-throttled")).as("throttling is not the socket's fault").isTrue();

        api.heal(tenantA + "-throttled");
        DynamodbEvent retry = batchFor(tenantA, tenantB);
        retry.setRecords(retry.getRecords().subList(0, 2));
        assertThat(handler.handleRequest(retry, null).getBatchItemFailures()).isEmpty();
        assertThat(types(api.received(tenantA + "-throttled"))).containsExactly("new_message", "message_status");
    }

    @Test
    void a_socket_that_keeps_failing_is_closed_and_dropped_and_its_tenants_other_sockets_get_every_record() {
        registerConnection(dynamo.client(), tenantA, tenantA + "-broken", "messages", "statuses");
        registerConnection(dynamo.client(), tenantA, tenantA + "-fine", "messages", "statuses");
        api.failAlways(tenantA + "-broken");

        StreamsEventResponse response = handler.handleRequest(batchFor(tenantA, tenantB), null);

        assertThat(response.getBatchItemFailures()).as("one bad socket fails no record").isEmpty();
        assertThat(types(api.received(tenantA + "-fine"))).containsExactly("new_message", "message_status");
        await().atMost(Duration.ofSeconds(10)).until(() -> api.closed(tenantA + "-broken"));
        assertThat(connectionExists(dynamo.client(), tenantA, tenantA + "-broken")).isFalse();
    }

    @Test
    void a_413_payload_too_large_keeps_the_connection_and_tells_its_browser_to_resynchronise() {
        registerConnection(dynamo.client(), tenantA, tenantA + "-big", "messages", "statuses");
        api.script(tenantA + "-big", 413);

        StreamsEventResponse response = handler.handleRequest(batchFor(tenantA, tenantB), null);

        assertThat(response.getBatchItemFailures()).as("retrying cannot make an event smaller").isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> types(api.received(tenantA + "-big")).contains("resync_required"));
        assertThat(types(api.received(tenantA + "-big"))).contains("message_status");
        assertThat(connectionExists(dynamo.client(), tenantA, tenantA + "-big")).as("a size refusal is not a gone connection").isTrue();
        assertThat(api.closed(tenantA + "-big")).isFalse();
    }

    @Test
    void a_tenant_without_connections_is_not_a_failure() {
        StreamsEventResponse response = handler.handleRequest(batchFor(tenantA, tenantB), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
    }

    /** The fixture batch, with its tenants renamed so that tests sharing the table do not see each other. */
    private static DynamodbEvent batchFor(String tenantA, String tenantB) {
        DynamodbEvent event = load("stream/events-batch.json", DynamodbEvent.class);
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
            var image = record.getDynamodb().getNewImage();
            if (image != null) {
                String tenant = image.get("tenantId").getS();
                image.get("tenantId").setS(tenant.equals("tenant-a") ? tenantA : tenantB);
            }
        }
        return event;
    }

    private static List<String> types(List<String> messages) {
        return messages.stream().map(m -> Json.parse(m).path("type").asText()).toList();
    }
}
