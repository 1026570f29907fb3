package io.inboxrelay.core.outbound;

import java.util.List;

/**
 * The webhook to register at a gateway for one session.
 *
 * @param url    this system's {@code POST /webhooks/{sessionId}} URL
 * @param secret the session's webhook secret (HMAC key, or the token the gateway sends back); never logged
 * @param events the gateway's own event names; empty means the client's defaults (messages, receipts, session state)
 */
public record WebhookRegistration(String url, Credential secret, List<String> events) {

    public WebhookRegistration {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("webhook url is required");
        }
        events = events == null ? List.of() : List.copyOf(events);
    }
}
