package io.inboxrelay.config;

import java.util.Map;

/**
 * The outbound half's settings, read from the environment like {@link Config} (template.yaml sets them).
 *
 * @param outboxQueueUrl    OUTBOX_QUEUE_URL: the FIFO outbox; null where a function never enqueues
 * @param ratePerSecond     SEND_RATE_PER_SECOND (default 1): sends per second per session, sustained
 * @param burst             SEND_BURST (default 5): sends a quiet session may make at once before the rate applies
 */
public record SendConfig(String outboxQueueUrl, double ratePerSecond, int burst) {

    public SendConfig {
        if (!(ratePerSecond > 0) || ratePerSecond > 1_000) {
            throw new IllegalStateException("SEND_RATE_PER_SECOND must be more than 0 and at most 1000, got " + ratePerSecond);
        }
        if (burst < 1 || burst > 1_000) {
            throw new IllegalStateException("SEND_BURST must be between 1 and 1000, got " + burst);
        }
    }

    public static SendConfig fromEnv() {
        return from(Env.all());
    }

    public static SendConfig from(Map<String, String> env) {
        String queue = env.get("OUTBOX_QUEUE_URL");
        return new SendConfig(queue == null || queue.isBlank() ? null : queue.trim(),
                number(env, "SEND_RATE_PER_SECOND", 1), (int) number(env, "SEND_BURST", 5));
    }

    private static double number(Map<String, String> env, String name, double fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + name + " must be a number, got '" + value + "'", e);
        }
    }
}
