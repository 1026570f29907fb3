package io.inboxrelay.realtime;

import static io.inboxrelay.realtime.RealtimeFixtures.cursor;
import static io.inboxrelay.realtime.RealtimeFixtures.load;
import static io.inboxrelay.realtime.RealtimeFixtures.registerConnection;
import static io.inboxrelay.realtime.RealtimeFixtures.writeEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.config.Clients;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.realtime.Cursor;
import io.inboxrelay.handler.ResumeHandler;
import io.inboxrelay.local.LocalDynamo;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.store.ConnectionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Resume as a contract: bounded pages, always a terminal answer, resync when replay cannot serve, a rate per connection. */
class ResumePagesTest {

    private static LocalDynamo dynamo;
    private static FakeManagementApi api;
    private static Config config;

    @BeforeAll
    static void start() throws Exception {
        dynamo = LocalDynamo.startInMemory().createTables(SamTemplate.fromRepository());
        api = new FakeManagementApi();
        config = RealtimeFixtures.config(dynamo, api.endpoint(), Map.of("RESUME_OVERLAP_MS", "2000", "RESUME_MAX_AGE_HOURS", "24"));
    }

    @AfterAll
    static void stop() {
        api.close();
        dynamo.close();
    }

    @Test
    void a_resume_across_more_events_than_one_page_is_followed_page_by_page_to_every_event_in_order() {
        String tenant = "t-pages-" + UUID.randomUUID();
        String connection = "c-" + UUID.randomUUID();
        registerConnection(dynamo.client(), tenant, connection, "messages", "statuses", "sessions");
        long start = System.currentTimeMillis() - 120_000;
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 1_234; i++) {
            written.add(writeEvent(dynamo.client(), tenant, cursor(start + i * 10L), i % 2 == 0 ? "messages" : "statuses"));
        }
        ResumeHandler handler = new ResumeHandler(dynamo.client(), Clients::management, config);

        String request = "{\"type\":\"resume\",\"since\":\"" + cursor(start - 60_000) + "\"}";
        List<JsonNode> terminals = new ArrayList<>();
        for (int call = 0; call < 10; call++) {
            handler.handleRequest(event(tenant, connection, request), null);
            List<JsonNode> received = received(connection);
            JsonNode terminal = received.get(received.size() - 1);
            terminals.add(terminal);
            if (terminal.path("complete").asBoolean()) {
                break;
            }
            request = "{\"type\":\"resume\",\"after\":\"" + terminal.path("next").asText() + "\"}";
        }

        assertThat(terminals).extracting(t -> t.path("type").asText()).containsOnly("resumed");
        assertThat(terminals).extracting(t -> t.path("complete").asBoolean()).containsExactly(false, false, true);
        assertThat(terminals).extracting(t -> t.path("count").asInt()).containsExactly(500, 500, 234);
        List<String> ids = received(connection).stream().filter(m -> m.has("tenant_id")).map(m -> m.path("id").asText()).toList();
        assertThat(ids).containsExactlyElementsOf(written);
    }

    @Test
    void a_cursor_older_than_the_replay_limit_or_the_retention_is_answered_resync_required_with_a_server_cursor() {
        String tenant = "t-old-" + UUID.randomUUID();
        String connection = "c-" + UUID.randomUUID();
        registerConnection(dynamo.client(), tenant, connection, "messages");
        ResumeHandler handler = new ResumeHandler(dynamo.client(), Clients::management, config);
        long now = System.currentTimeMillis();

        handler.handleRequest(event(tenant, connection, "{\"type\":\"resume\",\"since\":\"" + cursor(now - Duration.ofHours(30).toMillis()) + "\"}"), null);
        handler.handleRequest(event(tenant, connection, "{\"type\":\"resume\",\"since\":\"" + cursor(now - Duration.ofDays(8).toMillis()) + "\"}"), null);

        List<JsonNode> received = received(connection);
        assertThat(received).extracting(m -> m.path("type").asText()).containsExactly("resync_required", "resync_required");
        assertThat(received).extracting(m -> m.path("reason").asText()).containsExactly("too_far_behind", "cursor_expired");
        assertThat(received).allSatisfy(m -> {
            assertThat(Cursor.isValid(m.path("cursor").asText())).isTrue();
            assertThat(Cursor.millis(m.path("cursor").asText())).isBetween(now - 1_000, System.currentTimeMillis());
        });
    }

    @Test
    void an_event_the_socket_refuses_is_skipped_and_the_resume_ends_with_resync_required_not_silence() {
        String tenant = "t-refused-" + UUID.randomUUID();
        String connection = "c-" + UUID.randomUUID();
        registerConnection(dynamo.client(), tenant, connection, "messages");
        long start = System.currentTimeMillis() - 60_000;
        writeEvent(dynamo.client(), tenant, cursor(start), "messages");
        writeEvent(dynamo.client(), tenant, cursor(start + 1), "messages");
        api.script(connection, 413); // PayloadTooLarge for the first post

        new ResumeHandler(dynamo.client(), Clients::management, config)
                .handleRequest(event(tenant, connection, "{\"type\":\"resume\",\"since\":\"" + cursor(start - 10_000) + "\"}"), null);

        List<JsonNode> received = received(connection);
        assertThat(received).extracting(m -> m.path("type").asText()).containsExactly("new_message", "resync_required");
        assertThat(received.get(1).path("reason").asText()).isEqualTo("delivery_failed");
    }

    @Test
    void a_socket_that_keeps_failing_during_a_resume_is_closed_so_its_browser_reconnects() {
        String tenant = "t-failing-" + UUID.randomUUID();
        String connection = "c-" + UUID.randomUUID();
        registerConnection(dynamo.client(), tenant, connection, "messages");
        writeEvent(dynamo.client(), tenant, cursor(System.currentTimeMillis() - 5_000), "messages");
        api.failAlways(connection);

        new ResumeHandler(dynamo.client(), Clients::management, config).handleRequest(
                event(tenant, connection, "{\"type\":\"resume\",\"since\":\"" + cursor(System.currentTimeMillis() - 20_000) + "\"}"), null);

        assertThat(api.closed(connection)).isTrue();
    }

    @Test
    void a_socket_that_stays_throttled_during_a_resume_is_closed_rather_than_left_without_an_answer() {
        String tenant = "t-throttled-" + UUID.randomUUID();
        String connection = "c-" + UUID.randomUUID();
        registerConnection(dynamo.client(), tenant, connection, "messages");
        writeEvent(dynamo.client(), tenant, cursor(System.currentTimeMillis() - 5_000), "messages");
        api.failAlways(connection, 429);

        new ResumeHandler(dynamo.client(), Clients::management, config).handleRequest(
                event(tenant, connection, "{\"type\":\"resume\",\"since\":\"" + cursor(System.currentTimeMillis() - 20_000) + "\"}"), null);

        assertThat(api.closed(connection)).isTrue();
    }

    @Test
    void resume_calls_are_limited_per_connection_per_minute_and_the_limit_says_when_to_retry() {
        String tenant = "t-rate-" + UUID.randomUUID();
        String connection = "c-" + UUID.randomUUID();
        registerConnection(dynamo.client(), tenant, connection, "messages");
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T10:00:30Z"), ZoneOffset.UTC);
        ConnectionStore store = new ConnectionStore(dynamo.client(), "ConnectionsTable", Duration.ofHours(2), clock);

        List<ConnectionStore.ResumeGrant> grants = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            grants.add(store.claimResume(tenant, connection, 3));
        }
        ConnectionStore nextMinute = new ConnectionStore(dynamo.client(), "ConnectionsTable", Duration.ofHours(2),
                Clock.offset(clock, Duration.ofSeconds(30)));

        assertThat(grants.subList(0, 3)).allSatisfy(g -> assertThat(g).isInstanceOf(ConnectionStore.ResumeGrant.Granted.class));
        assertThat(grants.get(3)).isEqualTo(new ConnectionStore.ResumeGrant.Limited(30_000));
        assertThat(nextMinute.claimResume(tenant, connection, 3)).isInstanceOf(ConnectionStore.ResumeGrant.Granted.class);
        assertThat(store.claimResume(tenant, "not-" + connection, 3)).isInstanceOf(ConnectionStore.ResumeGrant.NotConnected.class);
    }

    @Test
    void a_limited_resume_is_answered_rate_limited_on_the_socket() {
        String tenant = "t-rate-ws-" + UUID.randomUUID();
        String connection = "c-" + UUID.randomUUID();
        registerConnection(dynamo.client(), tenant, connection, "messages");
        Config strict = RealtimeFixtures.config(dynamo, api.endpoint(), Map.of("RESUME_OVERLAP_MS", "2000", "RESUME_CALLS_PER_MINUTE", "1"));
        ResumeHandler handler = new ResumeHandler(dynamo.client(), Clients::management, strict);
        String request = "{\"type\":\"resume\",\"since\":\"" + cursor(System.currentTimeMillis() - 5_000) + "\"}";

        // Two calls may straddle a minute boundary; three never leave both later ones allowed with a limit of one.
        for (int i = 0; i < 3; i++) {
            handler.handleRequest(event(tenant, connection, request), null);
        }

        List<JsonNode> limited = received(connection).stream().filter(m -> "rate_limited".equals(m.path("code").asText())).toList();
        assertThat(limited).isNotEmpty().allSatisfy(m -> {
            assertThat(m.path("type").asText()).isEqualTo("error");
            assertThat(m.path("retry_after_ms").asLong()).isBetween(1L, 60_000L);
        });
    }

    private static List<JsonNode> received(String connection) {
        return api.received(connection).stream().map(Json::parse).toList();
    }

    private static APIGatewayV2WebSocketEvent event(String tenant, String connection, String body) {
        APIGatewayV2WebSocketEvent event = load("websocket/resume.json", APIGatewayV2WebSocketEvent.class);
        event.getRequestContext().setConnectionId(connection);
        event.getRequestContext().getAuthorizer().put("tenantId", tenant);
        event.setBody(body);
        return event;
    }
}
