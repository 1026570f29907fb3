package io.inboxrelay.core.outbound;

import java.time.Duration;

/**
 * How {@link GatewayHttp} retries within one call. The outbox retries again, later, across invocations; these
 * retries only ride out a blip, so they are few and the whole call stays well inside the sender's timeout.
 *
 * @param maxAttempts   attempts in all, the first included (1 = never retry)
 * @param baseDelay     the first backoff's ceiling; each retry doubles it ("full jitter": a uniform random
 *                      delay between zero and the ceiling, so many senders do not retry in step)
 * @param maxDelay      the ceiling of any one backoff
 * @param maxRetryAfter the longest {@code Retry-After} honoured within the call; a longer one ends the call
 *                      with a retryable failure that carries it, for the outbox to wait out
 * @param budget        the most time one call may spend, attempts and waits together
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter, Duration budget) {

    /** Three attempts, 250 ms doubling to at most 2 s, a {@code Retry-After} of up to 5 s waited out, 25 s in all. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(250), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(25));

    public static final RetryPolicy NEVER = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (baseDelay.isNegative() || maxDelay.isNegative() || maxRetryAfter.isNegative() || budget.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
    }

    /** The ceiling of the backoff before retry number {@code retry} (1 for the first retry). */
    Duration ceiling(int retry) {
        long base = baseDelay.toMillis();
        long ceiling = retry >= 31 ? Long.MAX_VALUE : base << (retry - 1);
        return Duration.ofMillis(Math.min(ceiling < 0 ? Long.MAX_VALUE : ceiling, maxDelay.toMillis()));
    }
}
