package io.inboxrelay.store;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts refusals per session and code in this container and says when to write them: the first one
 * at once, then at most once per {@code resolution} with everything counted meanwhile. A flood of
 * forged requests costs one write a minute, not one each.
 */
final class RefusalCounter {

    /** What to add to the stored counter now. */
    record Flush(long count) {
    }

    private static final int MAX_KEYS = 10_000;

    private final Duration resolution;
    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();

    RefusalCounter(Duration resolution) {
        this.resolution = resolution;
    }

    /** Counts one refusal; returns what to write now, or null when the last write is recent. */
    Flush count(String sessionId, String code, Instant at) {
        if (pending.size() > MAX_KEYS) {
            pending.clear(); // a flood of distinct session ids: forget the counts rather than the memory
        }
        String key = sessionId + '\u0000' + code;
        Pending[] due = new Pending[1];
        pending.compute(key, (k, current) -> {
            Pending next = current == null ? new Pending(0, null) : current;
            next = new Pending(next.count + 1, next.writtenAt);
            if (next.writtenAt == null || Duration.between(next.writtenAt, at).compareTo(resolution) >= 0) {
                due[0] = next;
                return new Pending(0, at);
            }
            return next;
        });
        return due[0] == null ? null : new Flush(due[0].count);
    }

    /** A write failed: its count waits for the next one. */
    void giveBack(String sessionId, String code, Flush flush) {
        pending.compute(sessionId + '\u0000' + code,
                (k, current) -> new Pending((current == null ? 0 : current.count) + flush.count(), null));
    }

    private record Pending(long count, Instant writtenAt) {
    }
}
