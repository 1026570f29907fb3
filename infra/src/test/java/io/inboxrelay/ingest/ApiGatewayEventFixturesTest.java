package io.inboxrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.handler.WebhookHandler;
import io.inboxrelay.local.LocalDynamo;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.store.DynamoSessionRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API Gateway events under events/api (for {@code sam local invoke -e}) wrap every gateway
 * fixture, byte for byte, and the webhook function accepts each of them.
 */
class ApiGatewayEventFixturesTest {

    private static final String SECRET = "sample-secret-for-sam-local-invoke";
    private static final Map<Provider, SignatureKind> SAMPLE_SCHEMES = Map.of(
            Provider.INBOX_HUB, SignatureKind.HMAC_SHA256,
            Provider.WAHA, SignatureKind.WAHA_HMAC,
            Provider.META, SignatureKind.META,
            Provider.EVOLUTION, SignatureKind.STATIC_TOKEN);

    private static final Path EVENTS = Path.of(System.getProperty("events.dir"));

    private static LocalDynamo dynamo;
    private static WebhookHandler handler;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.startInMemory().createTables(SamTemplate.fromRepository());
        Config config = Config.from(dynamo.environment());
        handler = new WebhookHandler(dynamo.client(), config, Clock.systemUTC());
        DynamoSessionRegistry registry = new DynamoSessionRegistry(dynamo.client(), config.sessionsTable());
        SAMPLE_SCHEMES.forEach((provider, scheme) -> registry.create(new Session("sample-" + provider.wireName(),
                "sample-tenant", provider, scheme, List.of(SECRET), "sample-verify", List.of(), true, Instant.now(),
                null, null, null)));
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    void every_gateway_fixture_has_an_api_event_wrapping_exactly_its_bytes() throws IOException {
        Path gateways = EVENTS.resolve("gateways");
        // Fixtures are gateways/<provider>/*.json, as make-api-events.py reads them; gateways/expected.json (the
        // real-sample expectations of RealPayloadCorpusTest) is no delivery.
        List<Path> fixtures = files(gateways, 2).stream().filter(path -> !path.getParent().equals(gateways)).toList();
        assertThat(fixtures).hasSizeGreaterThan(30);
        for (Path fixture : fixtures) {
            String provider = fixture.getParent().getFileName().toString();
            String name = fixture.getFileName().toString();
            Path apiEvent = EVENTS.resolve("api").resolve("webhook-" + provider + "-" + name);
            assertThat(apiEvent).as("regenerate with python3 events/make-api-events.py").exists();
            APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent(apiEvent.toString());
            assertThat(Base64.getDecoder().decode(event.getBody()))
                    .as("%s drifted from its fixture: python3 events/make-api-events.py", apiEvent)
                    .isEqualTo(Files.readAllBytes(fixture));
        }
    }

    @Test
    void the_webhook_function_accepts_every_api_event() throws IOException {
        int stored = 0;
        for (Path apiEvent : files(EVENTS.resolve("api"), 1)) {
            APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent(apiEvent.toString());
            APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
            assertThat(response.getStatusCode()).as(apiEvent + ": " + response.getBody()).isEqualTo(200);
            String status = Json.parse(response.getBody()).path("status").asText();
            assertThat(status).as(apiEvent.toString()).isIn("stored", "ignored", "duplicate");
            stored += "stored".equals(status) ? 1 : 0;
        }
        assertThat(stored).isGreaterThan(25);
    }

    private static List<Path> files(Path dir, int depth) throws IOException {
        try (Stream<Path> walk = Files.walk(dir, depth)) {
            return walk.filter(path -> path.toString().endsWith(".json")).sorted().toList();
        }
    }
}
