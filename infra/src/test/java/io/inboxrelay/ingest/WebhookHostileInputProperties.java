package io.inboxrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.handler.WebhookHandler;
import io.inboxrelay.local.LocalDynamo;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.store.DynamoSessionRegistry;
import io.inboxrelay.testing.HttpApiEvents;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Arbitrary bytes and arbitrary JSON, correctly signed, posted to a session of every provider:
 * never a 5xx, and nothing is ever stored.
 */
class WebhookHostileInputProperties {

    private static final String SECRET = "property-secret";
    private static final String TENANT = "t-hostile";

    private static LocalDynamo dynamo;
    private static Config config;
    private static WebhookHandler handler;

    @BeforeContainer
    static void start() {
        dynamo = LocalDynamo.startInMemory().createTables(SamTemplate.fromRepository());
        config = Config.from(dynamo.environment());
        handler = new WebhookHandler(dynamo.client(), config, Clock.systemUTC());
        DynamoSessionRegistry registry = new DynamoSessionRegistry(dynamo.client(), config.sessionsTable());
        for (Provider provider : Provider.values()) {
            registry.create(new Session("s-" + provider.wireName(), TENANT, provider, SignatureKind.HMAC_SHA256,
                    List.of(SECRET), "v", List.of(), true, Instant.now(), null, null, null));
        }
    }

    @AfterContainer
    static void stop() {
        dynamo.close();
    }

    @Property(tries = 150)
    void arbitrary_bytes_are_never_a_5xx_and_never_stored(@ForAll @Size(max = 4096) byte[] body, @ForAll Provider provider) {
        assertRejectedOrIgnored(post(provider, body));
    }

    @Property(tries = 300)
    void arbitrary_json_is_never_a_5xx_and_never_stored(@ForAll("json") String body, @ForAll Provider provider) {
        assertRejectedOrIgnored(post(provider, body.getBytes(StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<String> json() {
        return Arbitraries.oneOf(tree(3), envelope());
    }

    /** JSON text of bounded depth, so generation stays small. */
    private static Arbitrary<String> tree(int depth) {
        Arbitrary<String> leaf = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(Json::write),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("null", "true", "false", "{}", "[]", "\"\"", "1.5e300", "-0"));
        if (depth == 0) {
            return leaf;
        }
        return Arbitraries.oneOf(leaf,
                Arbitraries.maps(keys(), tree(depth - 1)).ofMaxSize(4).map(WebhookHostileInputProperties::object),
                tree(depth - 1).list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]"));
    }

    /** Objects that look like each provider's envelope, with arbitrary values inside. */
    private static Arbitrary<String> envelope() {
        return Arbitraries.maps(keys(), tree(2)).ofMaxSize(3).flatMap(inner -> Arbitraries.of(
                "{\"event\":\"message.received\",\"message\":" + object(inner) + "}",
                "{\"event\":\"messages.upsert\",\"instance\":\"x\",\"data\":" + object(inner) + "}",
                "{\"event\":\"message\",\"session\":\"x\",\"payload\":" + object(inner) + "}",
                "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"messages\",\"value\":"
                        + object(inner) + "}]}]}"));
    }

    private static Arbitrary<String> keys() {
        return Arbitraries.oneOf(
                Arbitraries.of("id", "key", "message", "from", "to", "fromMe", "timestamp", "messageTimestamp",
                        "remoteJid", "text", "body", "messages", "statuses", "ack", "status", "state", "payload", "data"),
                Arbitraries.strings().ofMaxLength(6));
    }

    private static String object(Map<String, String> fields) {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((key, value) -> json.append(json.length() > 1 ? "," : "").append(Json.write(key)).append(':').append(value));
        return json.append('}').toString();
    }

    private static APIGatewayV2HTTPResponse post(Provider provider, byte[] body) {
        return handler.handleRequest(HttpApiEvents.signedWebhook("s-" + provider.wireName(), body, SignatureKind.HMAC_SHA256, SECRET), null);
    }

    private static void assertRejectedOrIgnored(APIGatewayV2HTTPResponse response) {
        assertThat(response.getStatusCode()).as(response.getBody()).isIn(200, 400);
        if (response.getStatusCode() == 200) {
            assertThat(Json.parse(response.getBody()).path("status").asText()).isEqualTo("ignored");
        }
        assertThat(dynamo.client().query(r -> r.tableName(config.eventsTable())
                .keyConditionExpression("tenantId = :t")
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(TENANT)))).count()).isZero();
    }
}
