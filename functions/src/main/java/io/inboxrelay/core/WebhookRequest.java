package io.inboxrelay.core;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP request to the webhook endpoint, free of any Lambda event class.
 *
 * @param method      GET or POST
 * @param sessionId   the {@code {sessionId}} path segment
 * @param eventSuffix Evolution's "webhook by events" suffix ({@code messages-upsert}), or null
 * @param headers     header names are matched case-insensitively
 * @param query       query string parameters
 * @param body        the raw body bytes exactly as received: signatures are computed over these
 * @param sourceIp    caller's address as API Gateway saw it
 * @param receivedAt  when the request arrived
 */
public record WebhookRequest(
        String method,
        String sessionId,
        String eventSuffix,
        Map<String, String> headers,
        Map<String, String> query,
        byte[] body,
        String sourceIp,
        Instant receivedAt) {

    public WebhookRequest {
        TreeMap<String, String> folded = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((name, value) -> {
                if (name != null && value != null) {
                    folded.put(name, value);
                }
            });
        }
        headers = folded;
        query = query == null ? Map.of() : Map.copyOf(query);
        body = body == null ? new byte[0] : body;
    }

    /** A header's value, or null; names are case-insensitive. */
    public String header(String name) {
        return headers.get(name);
    }

    public String queryParam(String name) {
        return query.get(name);
    }

    public String contentType() {
        String value = header("Content-Type");
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }
}
