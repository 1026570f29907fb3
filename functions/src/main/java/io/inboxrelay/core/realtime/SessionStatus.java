package io.inboxrelay.core.realtime;

import io.inboxrelay.core.RejectionTally;
import io.inboxrelay.core.WebhookRejection;
import java.util.Map;

/**
 * What the {@code status} route shows of a gateway session: never its secrets.
 *
 * @param lastWebhookAt  epoch millis of the last webhook that reached it, accepted or not, or null when none ever did
 * @param lastSuccessAt  epoch millis of the last accepted webhook, or null
 * @param lastRejectedAt epoch millis of the last refused webhook, or null (also for a refusal recorded before it was kept)
 * @param lastRejection  the last refusal (status, code, reason), kept after later successes, or null
 */
public record SessionStatus(String sessionId, String provider, boolean enabled, String state, Long lastWebhookAt,
        Long lastSuccessAt, Long lastRejectedAt, WebhookRejection lastRejection, Map<String, RejectionTally> refusals) {

    public SessionStatus {
        refusals = refusals == null ? Map.of() : Map.copyOf(refusals);
    }

    public SessionStatus(String sessionId, String provider, boolean enabled, String state, Long lastWebhookAt,
            Long lastSuccessAt, Long lastRejectedAt, WebhookRejection lastRejection) {
        this(sessionId, provider, enabled, state, lastWebhookAt, lastSuccessAt, lastRejectedAt, lastRejection, Map.of());
    }

    /** The last rejection's code, or null when none was ever recorded. */
    public String lastError() {
        return lastRejection == null ? null : lastRejection.code();
    }
}
