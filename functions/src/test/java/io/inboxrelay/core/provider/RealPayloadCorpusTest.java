package io.inboxrelay.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.GatewayEvent;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.WebhookRequest;
import io.inboxrelay.core.event.Envelopes;
import io.inboxrelay.core.event.PushEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 12's proof: every real gateway sample ({@code events/gateways/<provider>/real-*.json}, sources in
 * {@code events/gateways/SOURCES.md}) goes through its provider's adapter and the envelope builders, and the
 * pushed JSON must carry exactly what {@code events/gateways/expected.json} says the public contract gives
 * (README "Webhook contract" / "Real-time contract", docs/MESSAGE-KINDS.md).
 *
 * <p>Only the fields an expectation lists are compared, each at the dotted path the contract names
 * ({@code message.kind}, {@code message.location.latitude}, {@code reaction.emoji}, {@code message.contacts.0.name});
 * a listed {@code null} must be absent or null. An expectation of type {@code ignored} means no event at all.
 */
class RealPayloadCorpusTest {

    private static final String TENANT = "t1";
    private static final String SESSION = "session-1";
    private static final String SOURCES_SECTION = "## Real samples (issue 12 proof)";
    private static final List<String> PROVIDERS = List.of("evolution", "waha", "meta", "inboxhub");

    @Test
    void the_corpus_has_at_least_40_samples_each_with_an_expectation_and_a_source() throws IOException {
        List<JsonNode> cases = cases();
        assertThat(cases).as("real samples in expected.json").hasSizeGreaterThanOrEqualTo(40);

        String sources = Files.readString(Fixtures.gateways().resolve("SOURCES.md"), StandardCharsets.UTF_8);
        int section = sources.indexOf(SOURCES_SECTION);
        assertThat(section).as("SOURCES.md has the section '%s'", SOURCES_SECTION).isNotNegative();
        String rows = sources.substring(section);

        Map<String, JsonNode> byFile = new HashMap<>();
        for (JsonNode c : cases) {
            String key = c.path("provider").asText() + "/" + c.path("fixture").asText();
            assertThat(byFile.put(key, c)).as("one expectation per sample: %s", key).isNull();
            assertThat(Files.exists(Fixtures.gateways().resolve(key))).as("fixture file %s exists", key).isTrue();
            assertThat(c.path("expected").isArray() && !c.path("expected").isEmpty())
                    .as("%s lists at least one expected event", key).isTrue();
        }
        for (String provider : PROVIDERS) {
            for (Path file : Fixtures.all(provider)) {
                String name = file.getFileName().toString();
                if (!name.startsWith("real-")) {
                    continue;
                }
                String key = provider + "/" + name;
                assertThat(byFile).as("expected.json has an entry for %s", key).containsKey(key);
                assertThat(rows).as("SOURCES.md's real-samples table has a row for %s", key).contains("`" + key + "`");
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> every_real_sample_gives_the_result_the_contract_promises() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(
                c.path("provider").asText() + "/" + c.path("fixture").asText(), () -> check(c)));
    }

    private static void check(JsonNode c) {
        String provider = c.path("provider").asText();
        String fixture = c.path("fixture").asText();
        byte[] body = Fixtures.bytes(provider, fixture);
        Map<String, String> headers = new HashMap<>();
        c.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
        String suffix = c.hasNonNull("event_suffix") ? c.get("event_suffix").asText() : null;
        WebhookRequest request = Fixtures.request(suffix, headers, body);

        List<JsonNode> actual = pushed(ProviderAdapters.forProvider(Provider.fromWireName(provider)), request, body);
        List<JsonNode> expected = StreamSupport.stream(c.path("expected").spliterator(), false).toList();

        List<String> problems = new ArrayList<>();
        if (actual.size() != expected.size()) {
            problems.add("expected " + expected.size() + " event(s), got " + actual.size());
        }
        for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
            problems.addAll(differences(i, expected.get(i), actual.get(i)));
        }
        if (!problems.isEmpty()) {
            fail(provider + "/" + fixture + ":\n  - " + String.join("\n  - ", problems)
                    + "\n  pushed: " + actual);
        }
    }

    /** What the contract would push for this delivery, one JSON object per event; {@code ignored} and refusals as pseudo-events. */
    private static List<JsonNode> pushed(ProviderAdapter adapter, WebhookRequest request, byte[] body) {
        ParsedWebhook parsed;
        try {
            parsed = adapter.parse(request, Json.parse(body));
        } catch (MalformedWebhookException e) {
            return List.of(pseudo("rejected (400)", e.getMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (parsed.isIgnored()) {
            return List.of(pseudo("ignored", parsed.eventName()));
        }
        List<JsonNode> events = new ArrayList<>();
        int n = 0;
        for (GatewayEvent event : parsed.events()) {
            String cursor = "1772461800000-" + (++n);
            events.add(Json.parse(envelope(event, cursor).body()));
        }
        return events;
    }

    private static JsonNode pseudo(String type, String detail) {
        ObjectNode node = Json.object();
        node.put("type", type);
        node.put("detail", detail);
        return node;
    }

    /**
     * The envelope {@link Envelopes} builds for an event, found by the event's type so canonical event types added
     * later (a {@code MessageChange} for {@code message_updated}) are built without this test changing: the builder is
     * the public static {@code PushEvent} method taking that event; its String parameters are filled by name when
     * compiled with {@code -parameters}, else by position (tenant, session, cursor before the event; a conversation id after).
     */
    static PushEvent envelope(GatewayEvent event, String cursor) {
        Method builder = builderFor(event.getClass())
                .orElseThrow(() -> new AssertionError("Envelopes has no builder for " + event.getClass().getSimpleName()));
        Parameter[] params = builder.getParameters();
        int eventIndex = -1;
        for (int i = 0; i < params.length; i++) {
            if (params[i].getType().isInstance(event)) {
                eventIndex = i;
                break;
            }
        }
        Object[] args = new Object[params.length];
        List<Integer> before = new ArrayList<>();
        for (int i = 0; i < params.length; i++) {
            if (i == eventIndex) {
                args[i] = event;
            } else if (params[i].isNamePresent()) {
                args[i] = byName(params[i].getName(), event, cursor);
            } else if (i < eventIndex) {
                before.add(i);
            } else {
                args[i] = conversationIdOf(event);
            }
        }
        List<String> positional = before.size() >= 3 ? List.of(TENANT, SESSION, cursor) : List.of(TENANT, cursor);
        for (int k = 0; k < before.size(); k++) {
            args[before.get(k)] = k < positional.size() ? positional.get(k) : null;
        }
        try {
            return (PushEvent) builder.invoke(null, args);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        } catch (InvocationTargetException e) {
            throw new AssertionError("building the envelope of " + event + " failed", e.getCause());
        }
    }

    private static Optional<Method> builderFor(Class<?> eventType) {
        String preferred = switch (eventType.getSimpleName()) {
            case "InboundMessage" -> "newMessage";
            case "StatusUpdate" -> "messageStatus";
            case "SessionUpdate" -> "sessionStatus";
            default -> "messageUpdated";
        };
        return Stream.of(Envelopes.class.getMethods())
                .filter(m -> Modifier.isStatic(m.getModifiers()) && m.getReturnType() == PushEvent.class)
                .filter(m -> Stream.of(m.getParameterTypes()).anyMatch(t -> t != Object.class && t.isAssignableFrom(eventType)))
                .filter(m -> Stream.of(m.getParameterTypes()).allMatch(t -> t == String.class || t.isAssignableFrom(eventType)))
                .min(Comparator.comparing((Method m) -> !m.getName().equals(preferred)).thenComparing(Method::getName));
    }

    private static Object byName(String name, GatewayEvent event, String cursor) {
        return switch (name) {
            case "tenantId", "tenant" -> TENANT;
            case "sessionId", "session" -> SESSION;
            case "cursor", "id", "eventId" -> cursor;
            case "conversationId", "conversation" -> conversationIdOf(event);
            default -> null;
        };
    }

    private static String conversationIdOf(GatewayEvent event) {
        try {
            Object value = event.getClass().getMethod("conversationId").invoke(event);
            return value == null ? null : value.toString();
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static List<String> differences(int index, JsonNode expected, JsonNode actual) {
        List<String> problems = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode want = field.getValue();
            JsonNode got = at(actual, field.getKey());
            if (!same(want, got)) {
                problems.add("event " + index + " `" + field.getKey() + "`: expected " + want
                        + ", got " + (got == null ? "(absent)" : got));
            }
        }
        return problems;
    }

    /** The node at a dotted path ({@code message.contacts.0.name}), or null when absent. */
    private static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            if (node == null) {
                return null;
            }
            if (node.isArray() && part.chars().allMatch(Character::isDigit)) {
                node = node.get(Integer.parseInt(part));
            } else {
                node = node.get(part);
            }
        }
        return node;
    }

    private static boolean same(JsonNode want, JsonNode got) {
        if (want == null || want.isNull()) {
            return got == null || got.isNull();
        }
        if (got == null || got.isNull()) {
            return false;
        }
        if (want.isNumber() && got.isNumber()) {
            return want.decimalValue().compareTo(got.decimalValue()) == 0;
        }
        return want.equals(got);
    }

    private static List<JsonNode> cases() {
        try {
            JsonNode root = Json.parse(Files.readAllBytes(Fixtures.gateways().resolve("expected.json")));
            return StreamSupport.stream(root.path("cases").spliterator(), false).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
