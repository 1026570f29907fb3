package io.inboxrelay.core.signature;

import io.inboxrelay.core.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Builds webhook requests for the scheme tests. */
final class Requests {

    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final String BODY_TEXT = "{\"event\":\"message.received\",\"data\":{\"id\":\"3EB0C767D71D\",\"text\":\"Olá, tudo bem?\"}}";
    static final byte[] BODY = bytes(BODY_TEXT);

    private Requests() {
    }

    static WebhookRequest post(Map<String, String> headers, byte[] body) {
        return new WebhookRequest("POST", "sess-1", null, headers, Map.of(), body, "203.0.113.7", NOW);
    }

    /** The headers with one replaced (a null value removes it). */
    static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> copy = new HashMap<>(headers);
        copy.remove(name);
        if (value != null) {
            copy.put(name, value);
        }
        return copy;
    }

    static Map<String, String> without(Map<String, String> headers, String name) {
        return with(headers, name, null);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] tampered(byte[] body) {
        byte[] copy = body.clone();
        copy[copy.length / 2] ^= 0x01;
        return copy;
    }
}
