package io.inboxrelay.store;

import io.inboxrelay.core.Session;
import io.inboxrelay.core.WebhookRejection;
import io.inboxrelay.core.ingest.SessionRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps found sessions for a short time per container, so a steady webhook stream costs no
 * DynamoDB read per request. The price is a stated bound: a session disabled, deleted or moved to
 * another tenant keeps being served as it was for at most {@code ttl} by a container that had it.
 * A rejection (401, 403, 404) is always checked again against a fresh read, so a rotated secret or
 * a new allowlist works on its first webhook. Unknown ids are never cached.
 */
public final class CachedSessionRegistry implements SessionRegistry {

    private record Entry(Session session, Instant readAt) {
    }

    private final SessionRegistry delegate;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public CachedSessionRegistry(SessionRegistry delegate, Duration ttl, Clock clock) {
        this.delegate = delegate;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public Optional<Session> find(String sessionId) {
        Entry entry = sessionId == null ? null : entries.get(sessionId);
        if (entry != null && clock.instant().isBefore(entry.readAt().plus(ttl))) {
            return Optional.of(entry.session());
        }
        return findFresh(sessionId);
    }

    @Override
    public Optional<Session> findFresh(String sessionId) {
        Instant now = clock.instant();
        Optional<Session> found = delegate.find(sessionId);
        if (found.isPresent()) {
            entries.put(sessionId, new Entry(found.get(), now));
        } else if (sessionId != null) {
            entries.remove(sessionId);
        }
        return found;
    }

    @Override
    public void recordWebhook(Session session, Instant at, WebhookRejection rejection) {
        delegate.recordWebhook(session, at, rejection);
        // What the delegate just wrote, so the next webhook does not write it again.
        if (DynamoSessionRegistry.shouldRecord(session, at, rejection)) {
            entries.computeIfPresent(session.sessionId(), (id, entry) -> new Entry(entry.session().withWebhook(at, rejection), entry.readAt()));
        }
    }

    @Override
    public void recordRefusal(Session session, Instant at, WebhookRejection refusal) {
        delegate.recordRefusal(session, at, refusal);
    }
}
