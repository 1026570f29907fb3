package io.inboxrelay.realtime;

import static io.inboxrelay.realtime.RealtimeFixtures.cursor;
import static io.inboxrelay.realtime.RealtimeFixtures.load;
import static io.inboxrelay.realtime.RealtimeFixtures.registerConnection;
import static io.inboxrelay.realtime.RealtimeFixtures.writeEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.config.Clients;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.realtime.Channels;
import io.inboxrelay.core.realtime.StoredEvent;
import io.inboxrelay.handler.ResumeHandler;
import io.inboxrelay.local.LocalDynamo;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.store.EventLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The late-commit trap: a writer takes a cursor, a faster writer commits a newer one, the browser
 * sees the newer one and later resumes after it; the older cursor commits in between. Resume must
 * still deliver it (the overlap window), and every other event after the cursor, while ingestion goes on.
 */
class ResumeExactnessTest {

    private static final String TENANT = "tenant-resume";
    private static final String NEIGHBOUR = "tenant-neighbour";
    private static final String CONNECTION = "conn-resume";
    private static final String[] CHANNELS = {"messages", "statuses", "sessions"};

    private static LocalDynamo dynamo;
    private static FakeManagementApi api;
    private static Config config;

    @BeforeAll
    static void start() throws Exception {
        dynamo = LocalDynamo.startInMemory().createTables(SamTemplate.fromRepository());
        api = new FakeManagementApi();
        // Writers below commit at most 300 ms after taking their cursor; the overlap must exceed that.
        config = RealtimeFixtures.config(dynamo, api.endpoint(), Map.of("RESUME_OVERLAP_MS", "2000"));
    }

    @AfterAll
    static void stop() {
        api.close();
        dynamo.close();
    }

    @Test
    void resume_delivers_every_event_after_the_cursor_including_one_committed_late_while_ingestion_continues() {
        registerConnection(dynamo.client(), TENANT, CONNECTION, CHANNELS);
        EventLog log = new EventLog(dynamo.client(), config.eventsTable());
        Set<String> committed = ConcurrentHashMap.newKeySet();
        ScheduledExecutorService slowCommits = Executors.newScheduledThreadPool(4);
        var writers = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Void>> ingestion = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                ingestion.add(CompletableFuture.runAsync(() -> ingest(TENANT, 80, committed, slowCommits), writers));
            }
            ingestion.add(CompletableFuture.runAsync(() -> ingest(NEIGHBOUR, 80, ConcurrentHashMap.newKeySet(), slowCommits), writers));

            await().atMost(Duration.ofSeconds(30)).until(() -> committed.size() >= 30);
            // The slow writer takes its cursor now and commits only after the browser has seen newer events.
            String late = cursor(System.currentTimeMillis());
            await().atMost(Duration.ofSeconds(30)).until(() -> committed.stream().filter(c -> c.compareTo(late) > 0).count() >= 5);

            Set<String> seenLive = ids(log.after(TENANT, "0", Channels.all(), 1_000).events());
            String since = seenLive.stream().max(String::compareTo).orElseThrow();
            assertThat(late).as("the late event sorts before the browser's cursor").isLessThan(since);
            writeEvent(dynamo.client(), TENANT, late, "messages");
            committed.add(late);
            assertThat(ids(log.after(TENANT, since, Channels.all(), 1_000).events()))
                    .as("a resume strictly after the cursor would miss it")
                    .doesNotContain(late);

            await().atMost(Duration.ofSeconds(30)).until(() -> committed.size() >= seenLive.size() + 20);
            Set<String> committedBeforeResume = Set.copyOf(committed);
            new ResumeHandler(dynamo.client(), Clients::management, config).handleRequest(resumeEvent(since), null);

            List<JsonNode> received = api.received(CONNECTION).stream().map(Json::parse).toList();
            List<JsonNode> events = received.subList(0, received.size() - 1);
            List<String> resumedIds = events.stream().map(e -> e.path("id").asText()).toList();
            assertThat(received.get(received.size() - 1).path("type").asText()).isEqualTo("resumed");
            assertThat(received.get(received.size() - 1).path("count").asInt()).isEqualTo(events.size());
            assertThat(resumedIds).contains(late).isSorted().doesNotHaveDuplicates();
            assertThat(events).allSatisfy(e -> assertThat(e.path("tenant_id").asText()).isEqualTo(TENANT));
            Set<String> browserHolds = new HashSet<>(seenLive);
            browserHolds.addAll(resumedIds);
            assertThat(browserHolds).containsAll(committedBeforeResume);

            CompletableFuture.allOf(ingestion.toArray(CompletableFuture[]::new)).join();
        } finally {
            writers.shutdownNow();
            slowCommits.shutdownNow();
        }
    }

    /** One writer: a quarter of its events commit up to 300 ms after their cursor was taken. */
    private static void ingest(String tenant, int count, Set<String> committed, ScheduledExecutorService slowCommits) {
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String cursor = cursor(System.currentTimeMillis());
            String channel = CHANNELS[i % CHANNELS.length];
            Runnable commit = () -> {
                writeEvent(dynamo.client(), tenant, cursor, channel);
                committed.add(cursor);
            };
            if (ThreadLocalRandom.current().nextInt(4) == 0) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                slowCommits.schedule(() -> {
                    commit.run();
                    done.complete(null);
                }, ThreadLocalRandom.current().nextLong(50, 300), TimeUnit.MILLISECONDS);
                pending.add(done);
            } else {
                commit.run();
            }
        }
        pending.forEach(CompletableFuture::join);
    }

    private static APIGatewayV2WebSocketEvent resumeEvent(String since) {
        APIGatewayV2WebSocketEvent event = load("websocket/resume.json", APIGatewayV2WebSocketEvent.class);
        event.getRequestContext().setConnectionId(CONNECTION);
        event.getRequestContext().getAuthorizer().put("tenantId", TENANT);
        event.setBody("{\"type\":\"resume\",\"since\":\"" + since + "\"}");
        return event;
    }

    private static Set<String> ids(List<StoredEvent> events) {
        Set<String> ids = new HashSet<>();
        events.forEach(e -> ids.add(e.cursor()));
        return ids;
    }
}
