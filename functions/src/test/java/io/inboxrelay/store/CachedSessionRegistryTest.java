package io.inboxrelay.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.core.Provider;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.WebhookRejection;
import io.inboxrelay.core.ingest.SessionRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachedSessionRegistryTest {

    private final Map<String, Session> stored = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger writes = new AtomicInteger();
    private final SessionRegistry table = new SessionRegistry() {
        @Override
        public Optional<Session> find(String sessionId) {
            reads.incrementAndGet();
            return Optional.ofNullable(stored.get(sessionId));
        }

        @Override
        public void recordWebhook(Session session, Instant at, WebhookRejection rejection) {
            if (DynamoSessionRegistry.shouldRecord(session, at, rejection)) {
                writes.incrementAndGet();
                stored.computeIfPresent(session.sessionId(), (id, s) -> s.withWebhook(at, rejection));
            }
        }

        @Override
        public void recordRefusal(Session session, Instant at, WebhookRejection refusal) {
            // Refusals are not what this test counts.
        }
    };
    private Instant now = Instant.parse("2026-12-01T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void a_steady_stream_of_webhooks_reads_the_session_once_per_ttl_and_a_disable_acts_within_it() {
        stored.put("s1", session(true));
        CachedSessionRegistry cached = new CachedSessionRegistry(table, Duration.ofSeconds(10), clock);
        for (int i = 0; i < 30; i++) {
            assertThat(cached.find("s1")).get().extracting(Session::enabled).isEqualTo(true);
            now = now.plusMillis(100);
        }
        assertThat(reads.get()).isEqualTo(1);

        stored.put("s1", session(false));
        now = now.plusSeconds(5);
        assertThat(cached.find("s1")).get().extracting(Session::enabled).as("inside the bound, still the cached copy").isEqualTo(true);
        now = now.plusSeconds(3);
        assertThat(cached.find("s1")).get().extracting(Session::enabled).as("10 s after it was read, the disable is seen").isEqualTo(false);
    }

    @Test
    void unknown_sessions_are_never_cached_and_a_fresh_read_replaces_the_cached_copy() {
        CachedSessionRegistry cached = new CachedSessionRegistry(table, Duration.ofSeconds(10), clock);
        assertThat(cached.find("new")).isEmpty();
        stored.put("new", session(true));
        assertThat(cached.find("new")).isPresent();

        stored.put("new", session(false));
        assertThat(cached.findFresh("new")).get().extracting(Session::enabled).isEqualTo(false);
        assertThat(cached.find("new")).get().extracting(Session::enabled).isEqualTo(false);
    }

    @Test
    void the_last_webhook_time_is_written_once_a_minute_even_from_the_cached_copy() {
        stored.put("s1", session(true));
        CachedSessionRegistry cached = new CachedSessionRegistry(table, Duration.ofSeconds(10), clock);
        for (int i = 0; i < 20; i++) {
            cached.recordWebhook(cached.find("s1").orElseThrow(), now, null);
            now = now.plusMillis(200);
        }
        assertThat(writes.get()).isEqualTo(1);
    }

    @Test
    void a_steady_stream_of_successes_writes_once_a_minute_even_when_a_steady_rejection_comes_between_them() {
        stored.put("s1", session(true));
        CachedSessionRegistry cached = new CachedSessionRegistry(table, Duration.ofSeconds(10), clock);
        WebhookRejection badSignature = WebhookRejection.of(401, "bad_signature", "signature does not match");
        for (int i = 0; i < 180; i++) {
            cached.recordWebhook(cached.find("s1").orElseThrow(), now, i % 2 == 0 ? null : badSignature);
            now = now.plusSeconds(1);
        }
        assertThat(writes.get()).as("three minutes: one success and one rejection write a minute").isEqualTo(6);
    }

    @Test
    void a_success_after_a_rejection_keeps_the_rejection_and_a_changed_rejection_is_written_at_once() {
        stored.put("s1", session(true));
        CachedSessionRegistry cached = new CachedSessionRegistry(table, Duration.ofSeconds(10), clock);
        Instant rejectedAt = now;
        cached.recordWebhook(cached.find("s1").orElseThrow(), now, WebhookRejection.of(400, "malformed_webhook", "message needs `to`"));
        now = now.plusSeconds(2);
        cached.recordWebhook(cached.find("s1").orElseThrow(), now, null);

        Session seen = cached.find("s1").orElseThrow();
        assertThat(seen.lastSuccessAt()).isEqualTo(now);
        assertThat(seen.lastRejectedAt()).isEqualTo(rejectedAt);
        assertThat(seen.lastError()).isEqualTo("malformed_webhook");
        assertThat(seen.lastRejection()).isEqualTo(new WebhookRejection(400, "malformed_webhook", "message needs `to`"));
        assertThat(stored.get("s1")).as("the cache mirrors what the registry wrote").isEqualTo(seen);

        now = now.plusSeconds(2);
        cached.recordWebhook(cached.find("s1").orElseThrow(), now, WebhookRejection.of(401, "bad_signature", "signature does not match"));
        assertThat(writes.get()).isEqualTo(3);
        assertThat(cached.find("s1").orElseThrow().lastError()).isEqualTo("bad_signature");
    }

    private static Session session(boolean enabled) {
        return new Session("s1", "t1", Provider.INBOX_HUB, SignatureKind.HMAC_SHA256, List.of("secret"), null, List.of(), enabled,
                Instant.EPOCH, null, null, null);
    }
}
