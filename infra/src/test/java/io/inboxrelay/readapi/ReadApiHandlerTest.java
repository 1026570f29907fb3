package io.inboxrelay.readapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.auth.JwtTokenVerifier;
import io.inboxrelay.core.auth.TokenVerifier;
import io.inboxrelay.handler.ReadApiHandler;
import io.inboxrelay.local.LocalDynamo;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.store.InboxReader;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ReadApiHandlerTest {

    private static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");

    private static LocalDynamo dynamo;
    private static ReadApiHandler handler;
    private static Seed seed;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.startInMemory().createTables(SamTemplate.fromRepository());
        Map<String, String> env = new HashMap<>(dynamo.environment());
        env.put("JWT_SECRET", TestTokens.SECRET);
        Config config = Config.from(env);
        TokenVerifier verifier = JwtTokenVerifier.fromSettings(TestTokens.SECRET, null, null, null, "tenant_id");
        handler = new ReadApiHandler(new InboxReader(dynamo.client(), config, Clock.fixed(NOW, ZoneOffset.UTC)), verifier);
        seed = new Seed(dynamo.client());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    void the_conversation_list_is_newest_first_with_unread_counts_and_last_message() {
        String tenant = tenant();
        seed.conversation(tenant, "573001110001", "Ana", 2, 5, "m-old", "hola", NOW.minusSeconds(300));
        seed.conversation(tenant, "573001110002", "Bruno", 0, 1, "m-new", "¿llegó el pedido?", NOW.minusSeconds(10));
        seed.conversation(tenant, "573001110003", "Carla", 1, 3, "m-mid", "gracias", NOW.minusSeconds(60));

        JsonNode body = ok(get(tenant, "/api/conversations"));

        assertThat(body.get("conversations")).extracting(c -> c.get("name").asText()).containsExactly("Bruno", "Carla", "Ana");
        JsonNode ana = body.get("conversations").get(2);
        assertThat(ana.get("conversation_id").asText()).isEqualTo("573001110001");
        assertThat(ana.get("lead_id").asText()).isEqualTo("573001110001");
        assertThat(ana.get("phone").asText()).isEqualTo("+573001110001");
        assertThat(ana.get("unread_count").asLong()).isEqualTo(2);
        assertThat(ana.get("last_message").get("content").asText()).isEqualTo("hola");
        assertThat(ana.get("last_message").get("sender").asText()).isEqualTo("lead");
        assertThat(ana.get("last_message").get("timestamp").asText()).isEqualTo(NOW.minusSeconds(300).toString());
        assertThat(body.get("next").isNull()).isTrue();
    }

    @Test
    void the_conversation_list_pages_with_an_opaque_cursor_until_every_conversation_was_seen_once() {
        String tenant = tenant();
        for (int i = 0; i < 7; i++) {
            seed.conversation(tenant, "57300111000" + i, "Lead " + i, 0, 1, "m" + i, "text", NOW.minusSeconds(i));
        }
        List<String> names = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode body = ok(get(tenant, "/api/conversations", cursor == null ? Map.of("limit", "3") : Map.of("limit", "3", "cursor", cursor)));
            body.get("conversations").forEach(c -> names.add(c.get("name").asText()));
            cursor = body.get("next").isNull() ? null : body.get("next").asText();
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(names).containsExactly("Lead 0", "Lead 1", "Lead 2", "Lead 3", "Lead 4", "Lead 5", "Lead 6");
    }

    @Test
    void messages_come_newest_first_and_page_backwards_with_before() {
        String tenant = tenant();
        seed.conversation(tenant, "573001112233", "Ana", 0, 1, "m4", "four", NOW);
        for (int i = 0; i < 5; i++) {
            seed.message(tenant, "573001112233", "m" + i, "message " + i, NOW.minusSeconds(50 - i));
        }

        JsonNode first = ok(get(tenant, "/api/conversations/573001112233/messages", Map.of("limit", "2")));
        assertThat(first.get("messages")).extracting(m -> m.get("content").asText()).containsExactly("message 4", "message 3");
        JsonNode second = ok(get(tenant, "/api/conversations/573001112233/messages",
                Map.of("limit", "2", "before", first.get("next").asText())));
        assertThat(second.get("messages")).extracting(m -> m.get("content").asText()).containsExactly("message 2", "message 1");
        JsonNode third = ok(get(tenant, "/api/conversations/573001112233/messages",
                Map.of("limit", "2", "before", second.get("next").asText())));
        assertThat(third.get("messages")).extracting(m -> m.get("content").asText()).containsExactly("message 0");

        JsonNode message = first.get("messages").get(0);
        assertThat(message.get("id").asText()).isEqualTo("m4");
        assertThat(message.get("sender").asText()).isEqualTo("lead");
        assertThat(message.get("phone").asText()).isEqualTo("+573001112233");
        assertThat(message.get("name").asText()).isEqualTo("Ana");
        assertThat(message.get("status").asText()).isEqualTo("delivered");
        assertThat(message.get("timestamp").asText()).isEqualTo(NOW.minusSeconds(46).toString());
    }

    @Test
    void a_placeholder_left_by_a_receipt_that_overtook_its_message_is_not_listed() {
        String tenant = tenant();
        seed.conversation(tenant, "573001112233", "Ana", 0, 1, "m1", "one", NOW);
        seed.message(tenant, "573001112233", "m1", "one", NOW.minusSeconds(5));
        dynamo.client().putItem(r -> r.tableName("MessagesTable").item(Map.of(
                "pk", AttributeValue.fromS(tenant + "#early"),
                "conversationKey", AttributeValue.fromS(tenant + "#573001112233"),
                "sortKey", AttributeValue.fromS(String.format("%013d#early", NOW.toEpochMilli())),
                "status", AttributeValue.fromS("read"))));

        JsonNode body = ok(get(tenant, "/api/conversations/573001112233/messages"));

        assertThat(body.get("messages")).extracting(m -> m.get("id").asText()).containsExactly("m1");
    }

    @Test
    void mark_read_zeroes_the_unread_count_bumps_the_version_and_records_a_conversation_updated_event() {
        String tenant = tenant();
        seed.conversation(tenant, "573001112233", "Ana", 3, 7, "m9", "¿hay stock?", NOW.minusSeconds(30));

        JsonNode body = ok(post(tenant, "/api/conversations/573001112233/read"));

        assertThat(body.get("unread_count").asLong()).isZero();
        assertThat(body.get("version").asLong()).isEqualTo(8);
        JsonNode list = ok(get(tenant, "/api/conversations"));
        assertThat(list.get("conversations").get(0).get("unread_count").asLong()).isZero();

        List<Map<String, AttributeValue>> events = events(tenant);
        assertThat(events).hasSize(1);
        Map<String, AttributeValue> event = events.get(0);
        assertThat(event.get("type").s()).isEqualTo("conversation_updated");
        assertThat(event.get("channel").s()).isEqualTo("messages");
        assertThat(event.get("cursor").s()).matches("\\d{13}-[0-9a-z]{10}").startsWith(String.format("%013d", NOW.toEpochMilli()));
        assertThat(event.get("createdAt").n()).isEqualTo(Long.toString(NOW.toEpochMilli()));
        assertThat(Long.parseLong(event.get("expiresAt").n())).isEqualTo(NOW.plusSeconds(7 * 24 * 3600).getEpochSecond());
        JsonNode envelope = Json.parse(event.get("body").s());
        assertThat(envelope.get("type").asText()).isEqualTo("conversation_updated");
        assertThat(envelope.get("id").asText()).isEqualTo(event.get("cursor").s());
        assertThat(envelope.get("tenant_id").asText()).isEqualTo(tenant);
        assertThat(envelope.get("conversation_id").asText()).isEqualTo("573001112233");
        assertThat(envelope.get("unread_count").asLong()).isZero();
        assertThat(envelope.get("version").asLong()).isEqualTo(8);
        assertThat(envelope.get("last_message").get("content").asText()).isEqualTo("¿hay stock?");
    }

    @Test
    void marking_an_already_read_conversation_read_writes_nothing() {
        String tenant = tenant();
        seed.conversation(tenant, "573001112233", "Ana", 0, 4, "m1", "ok", NOW);

        JsonNode body = ok(post(tenant, "/api/conversations/573001112233/read"));

        assertThat(body.get("version").asLong()).isEqualTo(4);
        assertThat(events(tenant)).isEmpty();
    }

    @Test
    void a_request_without_a_valid_token_is_401_with_a_json_error() {
        String tenant = tenant();
        APIGatewayV2HTTPResponse missing = handler.handleRequest(request("GET", "/api/conversations", Map.of(), null), null);
        APIGatewayV2HTTPResponse forged = handler.handleRequest(request("GET", "/api/conversations", Map.of(),
                TestTokens.signed("another-secret-of-at-least-32-bytes-long!", tenant, Instant.now().plusSeconds(600))), null);
        APIGatewayV2HTTPResponse expired = handler.handleRequest(request("GET", "/api/conversations", Map.of(),
                TestTokens.expiredForTenant(tenant)), null);
        APIGatewayV2HTTPResponse garbage = handler.handleRequest(request("POST", "/api/conversations/x/read", Map.of(), "not.a.jwt"), null);

        for (APIGatewayV2HTTPResponse response : List.of(missing, forged, expired, garbage)) {
            assertThat(response.getStatusCode()).isEqualTo(401);
            assertThat(Json.parse(response.getBody()).get("error").asText()).isEqualTo("unauthorized");
            assertThat(response.getHeaders()).containsEntry("Access-Control-Allow-Origin", "*");
        }
    }

    @Test
    void another_tenants_conversation_is_invisible_404_and_cannot_be_marked_read() {
        String owner = tenant();
        String intruder = tenant();
        seed.conversation(owner, "573001112233", "Ana", 2, 1, "m1", "secret", NOW);
        seed.message(owner, "573001112233", "m1", "secret", NOW);

        assertThat(ok(get(intruder, "/api/conversations")).get("conversations")).isEmpty();
        APIGatewayV2HTTPResponse messages = get(intruder, "/api/conversations/573001112233/messages");
        APIGatewayV2HTTPResponse read = post(intruder, "/api/conversations/573001112233/read");

        assertThat(messages.getStatusCode()).isEqualTo(404);
        assertThat(messages.getBody()).doesNotContain("secret");
        assertThat(read.getStatusCode()).isEqualTo(404);
        assertThat(ok(get(owner, "/api/conversations")).get("conversations").get(0).get("unread_count").asLong()).isEqualTo(2);
        assertThat(events(owner)).isEmpty();
        assertThat(events(intruder)).isEmpty();
    }

    @Test
    void a_cursor_from_another_tenant_does_not_reach_that_tenants_data() {
        String owner = tenant();
        String intruder = tenant();
        for (int i = 0; i < 3; i++) {
            seed.conversation(owner, "57300111000" + i, "Lead " + i, 0, 1, "m" + i, "text", NOW.minusSeconds(i));
        }
        String ownersCursor = ok(get(owner, "/api/conversations", Map.of("limit", "1"))).get("next").asText();

        JsonNode body = ok(get(intruder, "/api/conversations", Map.of("cursor", ownersCursor)));

        assertThat(body.get("conversations")).isEmpty();
    }

    @Test
    void bad_parameters_are_400_with_a_json_error_that_says_what() {
        String tenant = tenant();
        seed.conversation(tenant, "573001112233", "Ana", 0, 1, "m1", "ok", NOW);

        for (Map<String, String> query : List.of(Map.of("limit", "0"), Map.of("limit", "101"), Map.of("limit", "ten"),
                Map.of("cursor", "%%%not-base64"), Map.of("cursor", "eyJmb28iOiJiYXIifQ"))) {
            APIGatewayV2HTTPResponse response = get(tenant, "/api/conversations", query);
            assertThat(response.getStatusCode()).as(query.toString()).isEqualTo(400);
            assertThat(Json.parse(response.getBody()).get("message").asText()).as(query.toString()).containsAnyOf("limit", "cursor");
        }
        APIGatewayV2HTTPResponse badBefore = get(tenant, "/api/conversations/573001112233/messages", Map.of("before", "bm90IGpzb24"));
        assertThat(badBefore.getStatusCode()).isEqualTo(400);
    }

    @Test
    void a_preflight_is_answered_so_a_page_on_another_origin_can_call_the_api() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(request("OPTIONS", "/api/conversations/x/read", Map.of(), null), null);

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(response.getHeaders())
                .containsEntry("Access-Control-Allow-Origin", "*")
                .containsEntry("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        assertThat(response.getHeaders().get("Access-Control-Allow-Headers")).contains("authorization");
    }

    @Test
    void a_stage_prefixed_path_and_an_encoded_conversation_id_are_understood() {
        String tenant = tenant();
        seed.conversation(tenant, "120363@g.us", "Grupo", 1, 1, "m1", "hola grupo", NOW);
        seed.message(tenant, "120363@g.us", "m1", "hola grupo", NOW);

        JsonNode body = ok(get(tenant, "/prod/api/conversations/120363%40g.us/messages"));

        assertThat(body.get("conversation_id").asText()).isEqualTo("120363@g.us");
        assertThat(body.get("messages")).extracting(m -> m.get("content").asText()).containsExactly("hola grupo");
    }

    @Test
    void an_unknown_route_or_method_is_answered_in_json_not_with_an_exception() {
        String tenant = tenant();
        APIGatewayV2HTTPResponse unknown = get(tenant, "/api/contacts");
        APIGatewayV2HTTPResponse wrongMethod = post(tenant, "/api/conversations");

        assertThat(unknown.getStatusCode()).isEqualTo(404);
        assertThat(wrongMethod.getStatusCode()).isEqualTo(405);
        assertThat(Json.parse(wrongMethod.getBody()).get("error").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void the_handler_lambda_constructs_reads_its_tables_and_jwt_secret_from_the_environment() {
        String tenant = tenant();
        seed.conversation(tenant, "573001112233", "Ana", 1, 1, "m1", "hola", NOW);
        Map<String, String> env = new HashMap<>(dynamo.environment());
        env.put("JWT_SECRET", TestTokens.SECRET);
        env.forEach(System::setProperty);
        try {
            ReadApiHandler lambda = new ReadApiHandler();
            APIGatewayV2HTTPResponse response = lambda.handleRequest(
                    request("GET", "/api/conversations", Map.of(), TestTokens.forTenant(tenant)), null);
            assertThat(ok(response).get("conversations")).extracting(c -> c.get("name").asText()).containsExactly("Ana");
        } finally {
            env.keySet().forEach(System::clearProperty);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String tenant() {
        return "tenant-" + UUID.randomUUID();
    }

    private static List<Map<String, AttributeValue>> events(String tenant) {
        return dynamo.client().query(r -> r.tableName("EventsTable").keyConditionExpression("tenantId = :t")
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenant)))).items();
    }

    private static JsonNode ok(APIGatewayV2HTTPResponse response) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        assertThat(response.getHeaders()).containsEntry("Access-Control-Allow-Origin", "*").containsEntry("Content-Type", "application/json");
        return Json.parse(response.getBody());
    }

    private static APIGatewayV2HTTPResponse get(String tenant, String path) {
        return get(tenant, path, Map.of());
    }

    private static APIGatewayV2HTTPResponse get(String tenant, String path, Map<String, String> query) {
        return handler.handleRequest(request("GET", path, query, TestTokens.forTenant(tenant)), null);
    }

    private static APIGatewayV2HTTPResponse post(String tenant, String path) {
        return handler.handleRequest(request("POST", path, Map.of(), TestTokens.forTenant(tenant)), null);
    }

    private static APIGatewayV2HTTPEvent request(String method, String path, Map<String, String> query, String token) {
        Map<String, String> headers = new HashMap<>();
        headers.put("origin", "https://crm.example.test");
        if (token != null) {
            headers.put("authorization", "Bearer " + token);
        }
        return APIGatewayV2HTTPEvent.builder()
                .withRawPath(path)
                .withHeaders(headers)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build())
                        .build())
                .build();
    }
}
