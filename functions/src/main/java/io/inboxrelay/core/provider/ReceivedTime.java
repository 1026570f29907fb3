package io.inboxrelay.core.provider;

import io.inboxrelay.core.WebhookRequest;
import java.time.Instant;

/** The time to use when a payload carries no trustworthy one of its own. */
final class ReceivedTime {

    private ReceivedTime() {
    }

    static Instant of(WebhookRequest request) {
        return request != null && request.receivedAt() != null ? request.receivedAt() : Instant.now();
    }

    static Instant orReceived(Instant given, WebhookRequest request) {
        return given != null ? given : of(request);
    }
}
