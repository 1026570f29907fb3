package io.inboxrelay.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboxrelay.core.Provider;
import io.inboxrelay.local.LocalStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The load: webhooks across three tenants (one per provider), a share delivered twice at the
 * same moment, a share badly signed, while browsers are connected through the local stack's WebSocket
 * API and some of them drop and come back with {@code resume}. Nothing may be lost, stored twice,
 * shown twice after de-duplication, or cross tenants; the logs may hold no token, secret or text.
 */
class LoadWithZeroLossTest {

    private static final long SEED = Long.getLong("reliability.seed", System.nanoTime());
    private static final int IN_FLIGHT = 12;
    private static final int LEADS_PER_TENANT = 25;

    private static LocalStack stack;
    private static CapturedLogs logs;
    private static ExecutorService http;
    private static ScheduledExecutorService chaos;

    @BeforeAll
    static void start() {
        logs = new CapturedLogs();
        logs.forbid(ReliabilityStack.JWT_SECRET);
        stack = ReliabilityStack.start();
        http = Executors.newFixedThreadPool(16);
        chaos = Executors.newScheduledThreadPool(4);
    }

    @AfterAll
    static void stop() {
        chaos.shutdownNow();
        http.shutdownNow();
        stack.close();
        logs.close();
    }

    private record Delivery(GatewaySession session, int number, boolean twice, boolean badlySigned, int leads) {
    }

    /** Messages of the first tenant posted back to back into ONE conversation (a phone replaying its backlog). */
    private static final int BURST = 160;

    @Test
    void every_valid_webhook_is_stored_once_and_every_browser_gets_every_event_of_its_tenant_exactly_once() throws Exception {
        Sizes sizes = Sizes.current();
        Random random = new Random(SEED);
        List<GatewaySession> sessions = List.of(
                GatewaySession.register(ReliabilityStack.registry(stack), "t-load-inboxhub", Provider.INBOX_HUB),
                GatewaySession.register(ReliabilityStack.registry(stack), "t-load-waha", Provider.WAHA),
                GatewaySession.register(ReliabilityStack.registry(stack), "t-load-meta", Provider.META));
        sessions.forEach(session -> logs.forbid(session.secret()));
        logs.forbid(GatewaySession.TEXT_MARKER);

        // ---------------------------------------------------------------- browsers
        List<Browser> browsers = new ArrayList<>();
        for (int i = 0; i < sizes.browsers(); i++) {
            String tenant = sessions.get(i % Sizes.TENANTS).tenantId();
            String user = "agent-" + i;
            browsers.add(new Browser(tenant, user, () -> {
                String token = ReliabilityStack.token(tenant, user);
                logs.forbid(token);
                return ReliabilityStack.socketUrl(stack, token);
            }).connect());
        }

        // ---------------------------------------------------------------- deliveries
        List<Delivery> deliveries = new ArrayList<>();
        List<Integer> twice = new ArrayList<>();
        for (int i = 0; i < sizes.uniqueMessages(); i++) {
            twice.add(i);
        }
        Collections.shuffle(twice, random);
        Set<Integer> deliveredTwice = new HashSet<>(twice.subList(0, sizes.duplicates()));
        for (int i = 0; i < sizes.uniqueMessages(); i++) {
            // The first BURST messages of the first tenant all go to one lead: a hot conversation inside the load.
            boolean burst = i % Sizes.TENANTS == 0 && i / Sizes.TENANTS < BURST;
            deliveries.add(new Delivery(sessions.get(i % Sizes.TENANTS), i, deliveredTwice.contains(i), false,
                    burst ? 1 : LEADS_PER_TENANT));
        }
        for (int j = 0; j < sizes.badSignatures(); j++) {
            deliveries.add(new Delivery(sessions.get(j % Sizes.TENANTS), sizes.uniqueMessages() + j, false, true, LEADS_PER_TENANT));
        }
        Collections.shuffle(deliveries, random);
        List<Delivery> burst = deliveries.stream().filter(d -> d.leads() == 1).toList();
        deliveries.removeAll(burst);
        deliveries.addAll(random.nextInt(deliveries.size()), burst);

        // Drops at random points of the run: each chosen browser loses its network, then comes back.
        Map<Integer, Browser> dropAt = new HashMap<>();
        List<Browser> shuffled = new ArrayList<>(browsers);
        Collections.shuffle(shuffled, random);
        for (int k = 0; k < sizes.reconnects(); k++) {
            dropAt.put(random.nextInt(deliveries.size()), shuffled.get(k));
        }
        List<CompletableFuture<Void>> comebacks = Collections.synchronizedList(new ArrayList<>());

        Gateway gateway = new Gateway(stack.httpUrl(), http, 10);
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> badAnswers = new ConcurrentHashMap<>();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        Instant started = Instant.now();
        for (int d = 0; d < deliveries.size(); d++) {
            Browser toDrop = dropAt.get(d);
            if (toDrop != null) {
                toDrop.drop();
                CompletableFuture<Void> comeback = new CompletableFuture<>();
                comebacks.add(comeback);
                chaos.schedule(() -> {
                    try {
                        toDrop.reconnectAndResume();
                        comeback.complete(null);
                    } catch (Exception e) {
                        comeback.completeExceptionally(e);
                    }
                }, 100 + random.nextInt(1500), TimeUnit.MILLISECONDS);
            }
            Delivery delivery = deliveries.get(d);
            Instant now = Instant.now();
            byte[] body = delivery.session().message(delivery.number(), delivery.leads(), now);
            var headers = delivery.badlySigned() ? delivery.session().signBadly(body, now) : delivery.session().sign(body, now);
            int copies = delivery.twice() ? 2 : 1;
            inFlight.acquire(copies);
            for (int c = 0; c < copies; c++) {
                pending.add(gateway.post(delivery.session().sessionId(), body, headers).thenAccept(answer -> {
                    String key = answer.status() + " " + answer.outcome();
                    (delivery.badlySigned() ? badAnswers : answers).computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                }).whenComplete((ignored, error) -> inFlight.release()));
            }
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
        Duration ingest = Duration.between(started, Instant.now());
        CompletableFuture.allOf(comebacks.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);

        // ---------------------------------------------------------------- every browser catches up
        Map<String, Set<String>> expected = new HashMap<>();
        sessions.forEach(session -> expected.put(session.tenantId(), ReliabilityStack.eventIds(stack, session.tenantId())));
        await().atMost(Duration.ofMinutes(Boolean.getBoolean("reliability.full") ? 60 : 5)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(browsers).allSatisfy(b -> {
                    Set<String> missing = new HashSet<>(expected.get(b.tenantId));
                    missing.removeAll(b.eventIds);
                    assertThat(missing).as("%s of %s (reconnects %d) misses", b.name, b.tenantId, b.reconnects.get()).isEmpty();
                }));
        Duration settled = Duration.between(started, Instant.now());

        // ---------------------------------------------------------------- the figures
        Map<String, Map<String, Integer>> stored = ReliabilityStack.storedMessages(stack);
        Report report = new Report("Load with zero loss (seed " + SEED + ")");
        report.row("webhooks posted", deliveries.size() + sizes.duplicates());
        report.row("  distinct valid messages", sizes.uniqueMessages());
        report.row("  delivered twice concurrently", sizes.duplicates());
        report.row("  badly signed", sizes.badSignatures());
        report.row("answers to valid deliveries", answers.toString());
        report.row("answers to badly signed ones", badAnswers.toString());
        report.row("gateway retries after 5xx", gateway.retries.get());
        for (GatewaySession session : sessions) {
            Map<String, Integer> tenantStored = stored.getOrDefault(session.tenantId(), Map.of());
            report.row("stored for " + session.tenantId(), tenantStored.size() + " messages, "
                    + tenantStored.values().stream().filter(n -> n > 1).count() + " twice, events "
                    + expected.get(session.tenantId()).size());
        }
        int pushes = browsers.stream().mapToInt(b -> b.pushes.get()).sum();
        int repeats = browsers.stream().mapToInt(b -> b.repeats.get()).sum();
        report.row("browsers (dropped and resumed)", browsers.size() + " (" + browsers.stream().mapToInt(b -> b.reconnects.get()).sum() + ")");
        report.row("pushes received / repeats dropped by id", pushes + " / " + repeats);
        int lost = 0;
        for (Browser browser : browsers) {
            Set<String> missing = new HashSet<>(expected.get(browser.tenantId));
            missing.removeAll(browser.eventIds);
            lost += missing.size();
        }
        report.row("events lost (any browser)", lost);
        Map<String, String> unreadWrong = ReliabilityStack.unreadCountsThatDisagree(stack);
        report.row("burst into one conversation", BURST + " messages, " + IN_FLIGHT + " in flight");
        report.row("conversations whose unread count is not their stored lead messages", unreadWrong.size());
        report.row("events of another tenant received", browsers.stream().mapToInt(b -> b.foreign.get()).sum());
        report.row("log lines checked / with token, secret or text", logs.lines() + " / " + logs.violations().size());
        report.row("ingest duration", ingest.toMillis() + " ms (" + Math.round((deliveries.size() + sizes.duplicates()) * 1000.0 / Math.max(1, ingest.toMillis())) + " webhooks/s)");
        report.row("until every browser had everything", settled.toMillis() + " ms");
        report.print();

        // ---------------------------------------------------------------- what must hold
        int perTenant = sizes.uniqueMessages() / Sizes.TENANTS;
        assertThat(unreadWrong).as("unread count = stored incoming messages, per conversation").isEmpty();
        assertThat(answers).as("each distinct message stored once, each second copy a duplicate, no error left")
                .containsOnlyKeys("200 stored", "200 duplicate");
        assertThat(answers.get("200 stored").get()).isEqualTo(sizes.uniqueMessages());
        assertThat(answers.get("200 duplicate").get()).isEqualTo(sizes.duplicates());
        assertThat(badAnswers).as("every badly signed delivery refused 401").containsOnlyKeys("401 bad_signature");
        assertThat(badAnswers.get("401 bad_signature").get()).isEqualTo(sizes.badSignatures());
        for (GatewaySession session : sessions) {
            Map<String, Integer> tenantStored = stored.getOrDefault(session.tenantId(), Map.of());
            Set<String> wanted = new HashSet<>();
            for (int i = 0; i < sizes.uniqueMessages(); i++) {
                if (sessions.get(i % Sizes.TENANTS) == session) {
                    wanted.add(session.messageId(i));
                }
            }
            assertThat(wanted.size()).isBetween(perTenant, perTenant + 1);
            assertThat(tenantStored.keySet()).as("stored messages of " + session.tenantId()).isEqualTo(wanted);
            assertThat(tenantStored.values()).allMatch(n -> n == 1);
            assertThat(ReliabilityStack.eventCount(stack, session.tenantId(), "new_message")).isEqualTo(wanted.size());
        }
        for (Browser browser : browsers) {
            assertThat(browser.eventIds).as(browser.name + " received every event of its tenant, nothing else")
                    .isEqualTo(expected.get(browser.tenantId));
            assertThat(browser.foreign.get()).as(browser.name + " received nothing of another tenant").isZero();
            assertThat(browser.count("new_message")).isEqualTo(
                    (int) ReliabilityStack.eventCount(stack, browser.tenantId, "new_message"));
        }
        assertThat(lost).isZero();
        assertThat(browsers.stream().mapToInt(b -> b.reconnects.get()).sum()).isEqualTo(sizes.reconnects());
        assertThat(logs.violations()).as("log lines with a token, a secret or message text").isEmpty();
        assertThat(logs.lines()).isPositive();
        stack.streamPollers().forEach(poller -> assertThat(poller.failures()).as("records given up on").isEmpty());
        browsers.forEach(Browser::close);
    }
}
