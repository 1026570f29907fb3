package io.inboxrelay.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboxrelay.core.Provider;
import io.inboxrelay.local.LocalStack;
import io.inboxrelay.local.lambda.LocalFunction;
import io.inboxrelay.local.stream.OnFailureRecord;
import io.inboxrelay.local.stream.StreamPoller;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected into the local stack while webhooks flow and browsers listen: the {@code @connections}
 * endpoint answering 410, 429 bursts and 500s; the fan-out function failing mid-batch or always;
 * DynamoDB Local stopped and restarted from its files; a gateway retrying one delivery again and
 * again. Nothing may be lost, stale connections must go, and retries must end.
 */
class LocalStackFaultsTest {

    private static final int MAXIMUM_RETRY_ATTEMPTS = 5; // template.yaml, FanoutFunction's stream event

    @TempDir
    static Path data;

    private static LocalStack stack;
    private static ExecutorService http;
    private static CapturedLogs logs;
    private final List<Browser> browsers = new ArrayList<>();

    @BeforeAll
    static void start() {
        logs = new CapturedLogs(line -> line.contains("on-failure destination"));
        stack = ReliabilityStack.start(LocalStack.Options.ephemeral(ReliabilityStack.JWT_SECRET).withPersistDir(data));
        http = Executors.newFixedThreadPool(8);
    }

    @AfterAll
    static void stop() {
        http.shutdownNow();
        stack.close();
        logs.close();
    }

    @AfterEach
    void heal() {
        stack.webSocketApi().orElseThrow().injectPostFault(null);
        fanout().stopFailing();
        browsers.forEach(Browser::close);
    }

    private static LocalFunction fanout() {
        return stack.function("FanoutFunction");
    }

    private static StreamPoller poller() {
        return stack.streamPollers().get(0);
    }

    private Browser browser(String tenant) throws Exception {
        String user = "agent-" + UUID.randomUUID();
        Browser browser = new Browser(tenant, user, () -> ReliabilityStack.socketUrl(stack, ReliabilityStack.token(tenant, user))).connect();
        browsers.add(browser);
        return browser;
    }

    /** The connection id the stack gave the browser, from ConnectionsTable (each browser has its own user). */
    private static String connectionId(Browser browser) {
        return stack.dynamo().client().query(r -> r.tableName("ConnectionsTable").consistentRead(true)
                        .keyConditionExpression("tenantId = :t")
                        .expressionAttributeValues(Map.of(":t", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(browser.tenantId))))
                .items().stream().filter(item -> browser.name.equals(item.get("userId").s()))
                .map(item -> item.get("connectionId").s()).findFirst().orElseThrow();
    }

    private static GatewaySession session(Provider provider) {
        return GatewaySession.register(ReliabilityStack.registry(stack), "t-fault-" + UUID.randomUUID(), provider);
    }

    /** Posts messages from..to-1 of the session, a few at a time, as a gateway that retries 5xx. */
    private static List<Gateway.Answer> post(GatewaySession session, int from, int to, int maxAttempts) {
        Gateway gateway = new Gateway(stack.httpUrl(), http, maxAttempts);
        List<CompletableFuture<Gateway.Answer>> answers = new ArrayList<>();
        for (int n = from; n < to; n++) {
            Instant now = Instant.now();
            byte[] body = session.message(n, 5, now);
            answers.add(gateway.post(session.sessionId(), body, session.sign(body, now)));
        }
        return answers.stream().map(CompletableFuture::join).toList();
    }

    private static void awaitEverything(List<Browser> browsers) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            for (Browser browser : browsers) {
                assertThat(browser.eventIds).as(browser.name).isEqualTo(ReliabilityStack.eventIds(stack, browser.tenantId));
            }
        });
    }

    @Test
    void connections_answered_410_are_deleted_the_others_get_everything_and_the_stale_ones_catch_up_with_resume() throws Exception {
        GatewaySession session = session(Provider.INBOX_HUB);
        Browser healthy1 = browser(session.tenantId());
        Browser healthy2 = browser(session.tenantId());
        Browser stale1 = browser(session.tenantId());
        Browser stale2 = browser(session.tenantId());
        Set<String> gone = Set.of(connectionId(stale1), connectionId(stale2));
        // Within 10 s of $connect a 410 means "not open yet" and leaves the item; these sockets are older.
        long connected = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(30)).until(() -> System.currentTimeMillis() - connected > 10_500);
        AtomicInteger answered410 = new AtomicInteger();
        stack.webSocketApi().orElseThrow().injectPostFault(id -> gone.contains(id) && answered410.incrementAndGet() > 0 ? 410 : 0);

        assertThat(post(session, 0, 20, 5)).allMatch(answer -> answer.status() == 200);

        awaitEverything(List.of(healthy1, healthy2));
        assertThat(ReliabilityStack.connectionIds(stack, session.tenantId())).doesNotContainAnyElementsOf(gone)
                .contains(connectionId(healthy1), connectionId(healthy2));
        // Each stale connection is posted to once, then never again: its item is gone.
        assertThat(answered410.get()).isEqualTo(2);

        for (Browser stale : List.of(stale1, stale2)) {
            stale.drop();
            stale.reconnectAndResume();
        }
        awaitEverything(List.of(healthy1, healthy2, stale1, stale2));
        assertThat(poller().failures()).isEmpty();
    }

    @Test
    void a_socket_throttled_while_the_others_are_served_is_closed_and_resumes_and_server_errors_are_retried() throws Exception {
        GatewaySession session = session(Provider.WAHA);
        int failuresBefore = poller().failures().size();
        Browser throttled = browser(session.tenantId());
        Browser erratic = browser(session.tenantId());
        Browser calm = browser(session.tenantId());
        String throttledId = connectionId(throttled);
        String erraticId = connectionId(erratic);
        Map<String, AtomicInteger> posts = new ConcurrentHashMap<>();
        AtomicInteger injected = new AtomicInteger();
        stack.webSocketApi().orElseThrow().injectPostFault(id -> {
            int n = posts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            // A burst of 429s longer than one post's retries, then calm; every third post to another fails 500.
            int status = id.equals(throttledId) && n <= 12 ? 429 : id.equals(erraticId) && n % 3 == 0 ? 500 : 0;
            if (status != 0) {
                injected.incrementAndGet();
            }
            return status;
        });

        assertThat(post(session, 0, 15, 5)).allMatch(answer -> answer.status() == 200);

        // 429 for one socket while the others take the same event is that client's full buffer
        // (LimitExceededException): it is closed, not retried with the tenant's records held back.
        awaitEverything(List.of(erratic, calm));
        await().atMost(Duration.ofSeconds(30)).until(() -> !throttled.isOpen());
        assertThat(ReliabilityStack.connectionIds(stack, session.tenantId())).doesNotContain(throttledId).hasSize(2);
        throttled.reconnectAndResume();
        awaitEverything(List.of(throttled, erratic, calm));
        assertThat(injected.get()).as("faults actually injected").isGreaterThanOrEqualTo(5);
        assertThat(poller().failures()).as("nothing given up on").hasSize(failuresBefore);
    }

    @Test
    void a_fanout_that_crashes_after_pushing_is_retried_and_each_event_is_shown_once_after_dedupe() throws Exception {
        GatewaySession session = session(Provider.META);
        Browser one = browser(session.tenantId());
        Browser two = browser(session.tenantId());
        fanout().failNext(3, true);
        int firedBefore = fanout().injectedFailuresFired();

        assertThat(post(session, 0, 10, 5)).allMatch(answer -> answer.status() == 200);

        awaitEverything(List.of(one, two));
        assertThat(fanout().injectedFailuresFired() - firedBefore).isEqualTo(3);
        assertThat(one.repeats.get() + two.repeats.get()).as("the retried batches were pushed again; the browsers dropped the repeats")
                .isPositive();
        assertThat(one.count("new_message")).isEqualTo(10);
        assertThat(poller().failures()).isEmpty();
    }

    @Test
    void a_fanout_that_always_fails_is_given_up_after_the_templates_retries_logged_and_the_events_are_resumable() throws Exception {
        GatewaySession session = session(Provider.INBOX_HUB);
        Browser browser = browser(session.tenantId());
        int failuresBefore = poller().failures().size();
        int firedBefore = fanout().injectedFailuresFired();
        fanout().failNext(-1, false);
        String before = String.format("%013d-0000000000", System.currentTimeMillis() - 1_000);

        assertThat(post(session, 0, 1, 5)).allMatch(answer -> answer.status() == 200);
        Set<String> stranded = ReliabilityStack.eventIds(stack, session.tenantId());
        await().atMost(Duration.ofSeconds(30)).until(() -> poller().failures().stream().skip(failuresBefore)
                .mapToInt(failure -> failure.body().path("DDBStreamBatchInfo").path("batchSize").asInt()).sum() >= stranded.size());
        fanout().stopFailing();

        List<OnFailureRecord> givenUp = poller().failures().subList(failuresBefore, poller().failures().size());
        int invocations = fanout().injectedFailuresFired() - firedBefore;
        assertThat(givenUp).allSatisfy(failure -> assertThat(failure.condition()).isEqualTo("RetryAttemptsExhausted"));
        // The stranded records, and the resync markers of batches given up before the fan-out healed.
        assertThat(invocations).as("tries of the %d stranded records", stranded.size())
                .isBetween(1 + MAXIMUM_RETRY_ATTEMPTS, (stranded.size() + givenUp.size()) * (1 + MAXIMUM_RETRY_ATTEMPTS));
        await().atMost(Duration.ofSeconds(30)).until(() -> logs.kept().size() >= givenUp.size());
        assertThat(logs.kept()).anyMatch(line -> line.contains("RetryAttemptsExhausted"));
        assertThat(browser.count("new_message")).isZero();

        // The shard moved on: the next message is pushed live; the stranded ones come with resume.
        assertThat(post(session, 1, 2, 5)).allMatch(answer -> answer.status() == 200);
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.count("new_message") == 1);
        // Nothing is skipped silently: the given-up batch left a resync_required marker for the tenant
        // (FanoutFailureFunction, fed by the on-failure queue), pushed to its browser.
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.count("resync_required") >= 1);
        assertThat(ReliabilityStack.eventCount(stack, session.tenantId(), "resync_required")).as("one per given-up batch")
                .isBetween(1L, (long) givenUp.size());
        browser.resumeFrom(before);
        awaitEverything(List.of(browser));
        assertThat(browser.eventIds).containsAll(stranded);
        assertThat(fanout().injectedFailuresFired() - firedBefore).as("no more tries after giving up").isEqualTo(invocations);
    }

    @Test
    void dynamodb_stopped_and_restarted_from_its_files_mid_run_loses_nothing_and_stores_nothing_twice() throws Exception {
        GatewaySession session = session(Provider.WAHA);
        Browser one = browser(session.tenantId());
        Browser two = browser(session.tenantId());
        assertThat(post(session, 0, 10, 5)).allMatch(answer -> answer.status() == 200);

        stack.dynamo().stopServer();
        CompletableFuture<List<Gateway.Answer>> during = CompletableFuture.supplyAsync(() -> post(session, 10, 30, 40), http);
        CompletableFuture<Void> restarted = CompletableFuture.runAsync(() -> stack.dynamo().restartServer(),
                CompletableFuture.delayedExecutor(3, TimeUnit.SECONDS));
        restarted.get(30, TimeUnit.SECONDS);
        List<Gateway.Answer> answers = during.get(3, TimeUnit.MINUTES);
        assertThat(post(session, 30, 40, 5)).allMatch(answer -> answer.status() == 200);

        assertThat(answers).allMatch(answer -> answer.status() == 200);
        assertThat(answers).as("the gateway had to retry while DynamoDB was down").anyMatch(answer -> answer.attempts() > 1);
        Map<String, Integer> stored = ReliabilityStack.storedMessages(stack).get(session.tenantId());
        assertThat(stored).hasSize(40).allSatisfy((id, copies) -> assertThat(copies).isEqualTo(1));
        awaitEverything(List.of(one, two));
        assertThat(one.count("new_message")).isEqualTo(40);
        assertThat(poller().failures()).isEmpty();
    }

    @Test
    void a_gateway_retrying_one_delivery_a_hundred_times_gets_one_stored_and_the_browser_one_push() throws Exception {
        GatewaySession session = session(Provider.META); // Meta signs the body only: its retries are byte-for-byte the same for hours
        Browser browser = browser(session.tenantId());
        Instant at = Instant.now();
        byte[] body = session.message(0, 1, at);
        Map<String, String> headers = session.sign(body, at);
        Gateway gateway = new Gateway(stack.httpUrl(), http, 1);
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        for (int round = 0; round < 10; round++) {
            List<CompletableFuture<Gateway.Answer>> burst = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                burst.add(gateway.post(session.sessionId(), body, headers));
            }
            burst.forEach(answer -> outcomes.computeIfAbsent(answer.join().status() + " " + answer.join().outcome(),
                    k -> new AtomicInteger()).incrementAndGet());
        }

        assertThat(outcomes).containsOnlyKeys("200 stored", "200 duplicate");
        assertThat(outcomes.get("200 stored").get()).isEqualTo(1);
        assertThat(outcomes.get("200 duplicate").get()).isEqualTo(99);
        awaitEverything(List.of(browser));
        assertThat(browser.count("new_message")).isEqualTo(1);
        assertThat(browser.repeats.get()).isZero();
        assertThat(ReliabilityStack.storedMessages(stack).get(session.tenantId())).hasSize(1);
    }
}
