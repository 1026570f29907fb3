package io.inboxrelay.core.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.GatewayEvent;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.MessageChange;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.SessionUpdate;
import io.inboxrelay.core.StatusUpdate;
import io.inboxrelay.core.WebhookRequest;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Whatever arrives, an adapter answers with a {@link ParsedWebhook} or a {@link MalformedWebhookException}
 * (a 400), never another exception (a 5xx), and what it returns is complete enough to store.
 */
class AdapterPropertiesTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> KEYS = List.of(
            "event", "instance", "data", "date_time", "sender", "key", "remoteJid", "remoteJidAlt", "participant",
            "participantAlt", "fromMe", "id", "keyId", "pushName", "message", "messageTimestamp", "status", "state",
            "statusReason", "conversation", "extendedTextMessage", "text", "imageMessage", "caption", "mimetype", "url",
            "fileLength", "documentWithCaptionMessage", "ephemeralMessage", "low", "high", "unsigned", "messages",
            "payload", "session", "timestamp", "from", "to", "body", "hasMedia", "media", "ack", "ackName", "_data",
            "notifyName", "object", "entry", "changes", "field", "value", "contacts", "wa_id", "user_id", "profile",
            "name", "from_user_id", "statuses", "recipient_id", "errors", "code", "title", "type", "image", "phone",
            "chat", "error", "reason", "updates");
    private static final List<String> STRINGS = List.of(
            "messages.upsert", "MESSAGES_UPSERT", "send.message", "messages.update", "connection.update", "qrcode.updated",
            "message", "message.any", "message.ack", "session.status", "message.received", "message.sent",
            "message.delivered", "message.read", "message.failed", "session.connected", "session.disconnected",
            "session.qr", "whatsapp_business_account", "messages", "text", "image", "document", "location", "contacts",
            "interactive", "5511987654321@s.whatsapp.net", "551187654321@c.us", "120363041234567890@g.us",
            "204936527069362@lid", "status@broadcast", "1@newsletter", "5511987654321:22@s.whatsapp.net", "@lid", ":@",
            "@", "_", "true_5511987654321@c.us_3EB0", "true__", "false_x", "+5215512345678", "541123456789", "0", "-1",
            "1e999999999", "1772460311", "1772460311000", "2026-03-02T14:05:11Z", "9999999999999999999999", "NaN",
            "READ", "DELIVERY_ACK", "ERROR", "open", "close", "WORKING", "SCAN_QR_CODE", "FAILED", "read", "failed", "",
            " ");

    private final List<ProviderAdapter> adapters = List.of(Provider.values()).stream().map(ProviderAdapters::forProvider).toList();

    @Property(tries = 400)
    void arbitrary_json_trees_never_make_an_adapter_throw_anything_else(@ForAll("jsonTrees") JsonNode body,
                                                                      @ForAll("requests") WebhookRequest request) {
        adapters.forEach(adapter -> assertParsesOrRejects(adapter, request, body));
    }

    @Property(tries = 600)
    void fixtures_with_parts_replaced_by_arbitrary_json_never_make_an_adapter_throw(@ForAll("mutatedFixtures") Tuple.Tuple2<Provider, JsonNode> mutated,
                                                                                    @ForAll("requests") WebhookRequest request) {
        assertParsesOrRejects(ProviderAdapters.forProvider(mutated.get1()), request, mutated.get2());
        adapters.forEach(adapter -> assertParsesOrRejects(adapter, request, mutated.get2()));
    }

    @Property(tries = 300)
    void arbitrary_bytes_that_happen_to_be_json_never_make_an_adapter_throw(@ForAll byte[] bytes,
                                                                            @ForAll("requests") WebhookRequest request) {
        JsonNode body;
        try {
            body = Json.parse(bytes);
        } catch (IOException notJson) {
            return; // answered 415/400 before any adapter runs
        }
        adapters.forEach(adapter -> assertParsesOrRejects(adapter, request, body));
    }

    @Property(tries = 200)
    void json_text_built_from_webhook_words_never_makes_an_adapter_throw(@ForAll("jsonishText") String text,
                                                                         @ForAll("requests") WebhookRequest request) {
        JsonNode body;
        try {
            body = Json.parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException notJson) {
            return;
        }
        adapters.forEach(adapter -> assertParsesOrRejects(adapter, request, body));
    }

    private static void assertParsesOrRejects(ProviderAdapter adapter, WebhookRequest request, JsonNode body) {
        ParsedWebhook parsed;
        try {
            parsed = adapter.parse(request, body);
        } catch (MalformedWebhookException rejected) {
            assertThat(rejected.getMessage()).isNotBlank();
            return;
        }
        assertThat(parsed).isNotNull();
        assertThat(parsed.eventName()).isNotNull();
        for (GatewayEvent event : parsed.events()) {
            assertStorable(event);
        }
    }

    /** What storage relies on: keys and times are always there. */
    private static void assertStorable(GatewayEvent event) {
        if (event instanceof InboundMessage message) {
            assertThat(message.messageId()).isNotBlank();
            assertThat(message.providerMessageId()).isNotBlank();
            assertThat(message.conversationId()).isNotBlank();
            assertThat(message.direction()).isNotNull();
            assertThat(message.contact()).isNotNull();
            assertThat(message.contact().contactId()).isNotBlank();
            assertThat(message.timestamp()).isNotNull();
            assertThat(message.status()).isNotNull();
            assertThat(message.kind()).isNotNull();
            assertThat(message.content()).isNotBlank();
            assertThat(message.details()).isNotNull();
            if (message.contact().phone() != null) {
                assertThat(message.contact().phone()).matches("\\+[1-9][0-9]{6,14}");
            }
        } else if (event instanceof MessageChange change) {
            assertThat(change.changeId()).isNotBlank();
            assertThat(change.targetMessageId()).isNotBlank();
            assertThat(change.actor()).isNotNull();
            assertThat(change.type()).isNotNull();
            assertThat(change.timestamp()).isNotNull();
        } else if (event instanceof StatusUpdate status) {
            assertThat(status.messageId()).isNotBlank();
            assertThat(status.status()).isNotNull();
            assertThat(status.timestamp()).isNotNull();
        } else if (event instanceof SessionUpdate session) {
            assertThat(session.state()).isNotNull();
            assertThat(session.timestamp()).isNotNull();
        }
    }

    @Provide
    Arbitrary<WebhookRequest> requests() {
        Arbitrary<String> suffix = Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.of(STRINGS), Arbitraries.strings().ofMaxLength(20));
        Arbitrary<String> header = Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.of(STRINGS));
        return Combinators.combine(suffix, header).as((s, h) -> {
            Map<String, String> headers = new HashMap<>();
            if (h != null) {
                headers.put("X-Webhook-Event", h);
            }
            return Fixtures.request(s, headers, new byte[0]);
        });
    }

    @Provide
    Arbitrary<JsonNode> jsonTrees() {
        return json(4);
    }

    @Provide
    Arbitrary<String> jsonishText() {
        Arbitrary<String> token = Arbitraries.oneOf(
                Arbitraries.of("{", "}", "[", "]", ",", ":", "null", "true", "1", "-0", "1e400", "\"\\u0000\"", "\"a\""),
                Arbitraries.of(KEYS).map(k -> "\"" + k + "\""),
                Arbitraries.of(STRINGS).map(s -> "\"" + s + "\""));
        return token.list().ofMaxSize(40).map(tokens -> String.join("", tokens));
    }

    @Provide
    Arbitrary<Tuple.Tuple2<Provider, JsonNode>> mutatedFixtures() {
        List<Tuple.Tuple2<Provider, JsonNode>> fixtures = new ArrayList<>();
        for (Provider provider : Provider.values()) {
            for (Path path : Fixtures.all(provider.wireName())) {
                try {
                    fixtures.add(Tuple.of(provider, Json.parse(Files.readAllBytes(path))));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        Arbitrary<List<JsonNode>> replacements = json(2).list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<List<Integer>> picks = Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofSize(4);
        return Combinators.combine(Arbitraries.of(fixtures), replacements, picks).as((fixture, nodes, positions) -> {
            JsonNode copy = fixture.get2().deepCopy();
            for (int i = 0; i < nodes.size(); i++) {
                copy = replaceOne(copy, positions.get(i), nodes.get(i));
            }
            return Tuple.of(fixture.get1(), copy);
        });
    }

    /** Replaces the n-th node (pre-order, modulo the node count) of a tree with another value. */
    private static JsonNode replaceOne(JsonNode root, int n, JsonNode replacement) {
        List<JsonNode> parents = new ArrayList<>();
        List<Object> slots = new ArrayList<>();
        collect(root, parents, slots);
        if (parents.isEmpty()) {
            return replacement;
        }
        int index = n % (parents.size() + 1);
        if (index == parents.size()) {
            return replacement;
        }
        JsonNode parent = parents.get(index);
        Object slot = slots.get(index);
        if (parent instanceof ObjectNode object) {
            object.set((String) slot, replacement);
        } else if (parent instanceof ArrayNode array) {
            array.set((Integer) slot, replacement);
        }
        return root;
    }

    private static void collect(JsonNode node, List<JsonNode> parents, List<Object> slots) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                parents.add(node);
                slots.add(name);
                collect(node.get(name), parents, slots);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                parents.add(node);
                slots.add(i);
                collect(node.get(i), parents, slots);
            }
        }
    }

    private static Arbitrary<JsonNode> json(int depth) {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.of(STRINGS).map(NODES::textNode),
                Arbitraries.strings().ofMaxLength(30).map(NODES::textNode),
                Arbitraries.integers().map(NODES::numberNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1.5e300, 1772460311.5, -1.0).map(NODES::numberNode),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30)).map(NODES::numberNode),
                Arbitraries.of(new BigDecimal("1E+999999999"), new BigDecimal("1E-999999999"), new BigDecimal("123.456"))
                        .map(NODES::numberNode),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.nullNode()));
        if (depth <= 0) {
            return leaf;
        }
        Arbitrary<JsonNode> child = Arbitraries.lazy(() -> json(depth - 1));
        Arbitrary<JsonNode> object = Combinators.combine(Arbitraries.oneOf(Arbitraries.of(KEYS), Arbitraries.strings().ofMaxLength(8)),
                child).as(Map::entry).list().ofMaxSize(6).map(entries -> {
                    ObjectNode node = NODES.objectNode();
                    entries.forEach(e -> node.set(e.getKey(), e.getValue()));
                    return node;
                });
        Arbitrary<JsonNode> array = child.list().ofMaxSize(4).map(items -> {
            ArrayNode node = NODES.arrayNode();
            items.forEach(node::add);
            return node;
        });
        return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(4, object), Tuple.of(2, array));
    }
}
