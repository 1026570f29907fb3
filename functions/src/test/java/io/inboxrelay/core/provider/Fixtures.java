package io.inboxrelay.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.GatewayEvent;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.WebhookRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Gateway payloads from the repository's {@code events/gateways/} folder (surefire sets {@code events.dir}). */
final class Fixtures {

    static final Instant RECEIVED_AT = Instant.parse("2026-03-02T14:30:00Z");

    private Fixtures() {
    }

    static Path gateways() {
        String dir = System.getProperty("events.dir", "../events");
        return Path.of(dir, "gateways");
    }

    static byte[] bytes(String provider, String name) {
        try {
            return Files.readAllBytes(gateways().resolve(provider).resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String provider, String name) {
        try {
            return Json.parse(bytes(provider, name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> all(String provider) {
        try (Stream<Path> files = Files.list(gateways().resolve(provider))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static WebhookRequest request(String eventSuffix, Map<String, String> headers, byte[] body) {
        return new WebhookRequest("POST", "session-1", eventSuffix, headers, Map.of(), body, "203.0.113.7", RECEIVED_AT);
    }

    static WebhookRequest request() {
        return request(null, Map.of(), new byte[0]);
    }

    /** Parses a fixture with an adapter, as the webhook handler would. */
    static ParsedWebhook parse(ProviderAdapter adapter, String name) {
        byte[] body = bytes(adapter.provider().wireName(), name);
        try {
            return adapter.parse(request(null, Map.of(), body), Json.parse(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static <T extends GatewayEvent> T only(ParsedWebhook parsed, Class<T> type) {
        org.assertj.core.api.Assertions.assertThat(parsed.events()).hasSize(1);
        org.assertj.core.api.Assertions.assertThat(parsed.events().get(0)).isInstanceOf(type);
        return (T) parsed.events().get(0);
    }
}
