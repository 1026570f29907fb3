package io.inboxrelay.core.realtime;

/**
 * What the {@code status} route shows of a gateway session: never its secrets.
 *
 * @param lastWebhookAt epoch millis of the last webhook that reached it, or null when none ever did
 */
public record SessionStatus(String sessionId, String provider, boolean enabled, String state, Long lastWebhookAt, String lastError) {
}
