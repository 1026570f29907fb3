package io.inboxrelay.push;

import io.inboxrelay.observability.Metrics;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Thread-safe tallies of one invocation's posts ({@link Metrics} is not thread-safe), copied into
 * the invocation's metrics at its end.
 */
public final class PushCounters {

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong gone = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong closed = new AtomicLong();
    private final LongAccumulator maxDelay = new LongAccumulator(Math::max, -1);

    void sent() {
        sent.incrementAndGet();
    }

    void gone() {
        gone.incrementAndGet();
    }

    void throttled() {
        throttled.incrementAndGet();
    }

    void failed() {
        failed.incrementAndGet();
    }

    void closed() {
        closed.incrementAndGet();
    }

    /** Records the time from an event's creation to its push. */
    public void delay(long millis) {
        maxDelay.accumulate(Math.max(0, millis));
    }

    public long sentCount() {
        return sent.get();
    }

    public long goneCount() {
        return gone.get();
    }

    public long throttledCount() {
        return throttled.get();
    }

    public long closedCount() {
        return closed.get();
    }

    public long failedCount() {
        return failed.get();
    }

    public void copyTo(Metrics metrics) {
        metrics.count("PushesSent", sent.get());
        metrics.count("PushesGone", gone.get());
        metrics.count("PushesThrottled", throttled.get());
        metrics.count("PushesFailed", failed.get());
        metrics.count("ConnectionsClosed", closed.get());
        long delay = maxDelay.get();
        if (delay >= 0) {
            // The slowest push of the invocation: what a user waited at worst.
            metrics.millis("PushDelayMs", delay);
        }
    }
}
