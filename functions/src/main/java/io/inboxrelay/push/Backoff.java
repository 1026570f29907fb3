package io.inboxrelay.push;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Full-jitter exponential backoff: the n-th wait is uniform in [0, min(cap, base·2ⁿ)], which
 * spreads the retries of many concurrent posts instead of synchronising them against a throttle.
 *
 * @param attempts total tries, the first included
 */
public record Backoff(int attempts, Duration base, Duration cap) {

    public static final Backoff DEFAULT = new Backoff(5, Duration.ofMillis(50), Duration.ofSeconds(1));

    public Duration delayBefore(int retry) {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(retry, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }
}
