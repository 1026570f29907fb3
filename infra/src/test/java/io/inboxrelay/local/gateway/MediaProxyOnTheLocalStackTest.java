package io.inboxrelay.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.inboxrelay.admin.SessionAdmin;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.auth.TokenMinter;
import io.inboxrelay.core.outbound.Credential;
import io.inboxrelay.core.outbound.GatewayClient;
import io.inboxrelay.core.outbound.GatewayClients;
import io.inboxrelay.core.outbound.GatewayConnection;
import io.inboxrelay.core.outbound.GatewayHttp;
import io.inboxrelay.core.outbound.MediaKind;
import io.inboxrelay.core.outbound.MediaLimits;
import io.inboxrelay.core.outbound.OutboundMedia;
import io.inboxrelay.core.outbound.SendResult;
import io.inboxrelay.core.signature.WebhookSigner;
import io.inboxrelay.local.LocalStack;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.store.DynamoSessionRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code GET /api/messages/{messageId}/media} through the local stack: a media message reaches the stack by the
 * gateway's own webhook (the simulator's echo of a sent file; for Meta, which posts no echo, a signed lead message
 * naming the simulator's media id), and the proxy fetches the same bytes back from the simulated gateway with the
 * session's sealed credentials.
 */
class MediaProxyOnTheLocalStackTest {

    private static final String JWT = "media-proxy-local-stack-secret-0123456789abcdef";
    private static final String LEAD = "+5511987654321";
    private static final byte[] PICTURE = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 7, 7, 7, 0, 1, 2, 3};
    /** One MiB past the proxy's limit. */
    private static final byte[] LARGE = new byte[5 * 1024 * 1024];
    private static final String PDF_NAME = "Orçamento março.pdf";

    private static LocalStack stack;
    private static GatewaySimulator simulator;
    private static HttpServer files;
    private static SessionAdmin admin;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final GatewayClients CLIENTS = new GatewayClients(GatewayHttp.createDefault(), MediaLimits.MAX_PROXY_BYTES);
    private static final TokenMinter TOKENS = new TokenMinter(JWT);

    @BeforeAll
    static void start() throws Exception {
        new Random(14).nextBytes(LARGE);
        stack = LocalStack.start(SamTemplate.fromRepository(), LocalStack.Options.ephemeral(JWT));
        admin = new SessionAdmin(new DynamoSessionRegistry(stack.dynamo().client(), "SessionsTable"), Clock.systemUTC());
        simulator = GatewaySimulator.start(0, GatewaySimulator.Options.defaults().withReceiptDelay(Duration.ofMillis(50)));
        // Where an agent's attachment is: the simulated gateway downloads it from here when it "sends" it.
        files = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        serve("/picture.png", "image/png", PICTURE);
        serve("/large.mp4", "video/mp4", LARGE);
        serve("/offer.pdf", "application/pdf", PICTURE);
        files.start();
    }

    private static void serve(String path, String type, byte[] bytes) {
        files.createContext(path, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }

    @AfterAll
    static void stop() {
        files.stop(0);
        simulator.close();
        stack.close();
    }

    /**
     * A tenant's session on the stack, the simulated gateway session posting to it, and the client a test puts media in
     * the gateway with.
     */
    private record Wired(Provider provider, String tenant, String sessionId, String gatewaySession, String secret, GatewayClient client) {
    }

    /** @param storedKey the API key stored as the session's gateway credential, or null to store none */
    private static Wired wire(Provider provider, String storedKey) {
        String tenant = "t-" + UUID.randomUUID();
        SessionAdmin.Created created = admin.create(new SessionAdmin.NewSession(tenant, null, provider.wireName(), null, null,
                provider == Provider.META ? "verify-" + UUID.randomUUID() : null, null));
        String sessionId = created.session().sessionId();
        // A gateway session of its own per test: no echo of another test reaches this one's tenant.
        String gatewaySession = provider == Provider.META
                ? String.valueOf(100_000_000_000_000L + new Random().nextLong(899_999_999_999_999L))
                : "media-" + UUID.randomUUID().toString().substring(0, 8);
        simulator.registerSession(provider, gatewaySession, stack.httpUrl() + "/webhooks/" + sessionId, created.secret(),
                SignatureKind.defaultFor(provider));
        if (storedKey != null) {
            admin.setGateway(sessionId, simulator.baseUrl(provider).toString(), storedKey, gatewaySession, null);
        }
        GatewayClient client = CLIENTS.forConnection(new GatewayConnection(provider, simulator.baseUrl(provider),
                Credential.of(simulator.apiKey()), gatewaySession, null));
        return new Wired(provider, tenant, sessionId, gatewaySession, created.secret(), client);
    }

    /**
     * Puts the file in the gateway and has the gateway's webhook carry its message to the stack; returns the message's
     * id as the read API lists it.
     */
    private static String mediaMessageArrives(Wired wired, String path, String mimeType, MediaKind kind, String fileName) throws Exception {
        SendResult sent = wired.client().sendMedia(LEAD, new OutboundMedia("http://127.0.0.1:" + files.getAddress().getPort() + path,
                mimeType, kind, null, fileName), null);
        String gatewayId = sent.messageId();
        if (wired.provider() == Provider.META) {
            gatewayId = "wamid.lead-" + UUID.randomUUID();
            postMetaLeadMessage(wired, gatewayId, simulator.media(sent.messageId()).orElseThrow().mediaId(), mimeType, kind, fileName);
        }
        String bare = gatewayId.substring(gatewayId.lastIndexOf('_') + 1);
        AtomicReference<String> id = new AtomicReference<>();
        Instant deadline = Instant.now().plusSeconds(20);
        while (id.get() == null) {
            assertThat(Instant.now()).as("the media message is stored").isBefore(deadline);
            storedWithGatewayId(wired.tenant(), bare).ifPresent(item -> id.set(item.get("messageId").s()));
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        return id.get();
    }

    private static Optional<Map<String, AttributeValue>> storedWithGatewayId(String tenant, String bare) {
        return stack.dynamo().client().scanPaginator(r -> r.tableName("MessagesTable").consistentRead(true)).items().stream()
                .filter(item -> item.get("pk").s().startsWith(tenant + "#") && item.containsKey("media")
                        && item.containsKey("providerMessageId") && item.get("providerMessageId").s().endsWith(bare))
                .findFirst();
    }

    /** What Meta posts when a lead sends a file: the media id the Graph API serves it under, signed with the app secret. */
    private static void postMetaLeadMessage(Wired wired, String wamid, String mediaId, String mimeType, MediaKind kind,
            String fileName) throws Exception {
        String type = kind.name().toLowerCase(java.util.Locale.ROOT);
        ObjectNode value = Json.object().put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", "15550783881").put("phone_number_id", wired.gatewaySession());
        value.putArray("contacts").addObject().put("wa_id", "5511987654321").putObject("profile").put("name", "Ana");
        ObjectNode message = value.putArray("messages").addObject().put("from", "5511987654321").put("id", wamid)
                .put("timestamp", String.valueOf(Instant.now().getEpochSecond())).put("type", type);
        ObjectNode media = message.putObject(type).put("id", mediaId).put("mime_type", mimeType);
        if (fileName != null) {
            media.put("filename", fileName);
        }
        ObjectNode root = Json.object().put("object", "whatsapp_business_account");
        ObjectNode change = root.putArray("entry").addObject().put("id", "102290129340398").putArray("changes").addObject();
        change.set("value", value);
        change.put("field", "messages");
        byte[] body = Json.write(root).getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.httpUrl() + "/webhooks/" + wired.sessionId()))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        WebhookSigner.sign(SignatureKind.defaultFor(Provider.META), wired.secret(), body, Instant.now()).forEach(request::header);
        assertThat(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    private static HttpResponse<byte[]> getMedia(String messageId, String tenant) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.httpUrl() + "/api/messages/"
                + URLEncoder.encode(messageId, StandardCharsets.UTF_8).replace("+", "%20") + "/media")).timeout(Duration.ofSeconds(40)).GET();
        if (tenant != null) {
            request.header("Authorization", "Bearer " + TOKENS.mint(tenant, "agent-1", Duration.ofHours(1)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode error(HttpResponse<byte[]> response) {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return Json.parse(new String(response.body(), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void a_media_message_that_arrived_by_webhook_is_served_back_with_its_bytes_type_and_a_private_day_long_cache(Provider provider)
            throws Exception {
        Wired wired = wire(provider, simulator.apiKey());
        String messageId = mediaMessageArrives(wired, "/picture.png", "image/png", MediaKind.IMAGE, null);

        HttpResponse<byte[]> response = getMedia(messageId, wired.tenant());

        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(response.body()).isEqualTo(PICTURE);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("private, max-age=86400");
        assertThat(response.headers().firstValue("Content-Disposition")).hasValue("inline");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void a_document_downloads_as_an_attachment_under_its_file_name() throws Exception {
        Wired wired = wire(Provider.INBOX_HUB, simulator.apiKey());
        String messageId = mediaMessageArrives(wired, "/offer.pdf", "application/pdf", MediaKind.DOCUMENT, PDF_NAME);

        HttpResponse<byte[]> response = getMedia(messageId, wired.tenant());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(PICTURE);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(response.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"Or_amento mar_o.pdf\"; filename*=UTF-8''Or%C3%A7amento%20mar%C3%A7o.pdf");
    }

    @Test
    void the_listed_and_pushed_media_say_it_is_fetchable_and_its_size() throws Exception {
        Wired wired = wire(Provider.INBOX_HUB, simulator.apiKey());
        String messageId = mediaMessageArrives(wired, "/picture.png", "image/png", MediaKind.IMAGE, null);
        Map<String, AttributeValue> item = stack.dynamo().client().getItem(r -> r.tableName("MessagesTable").consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(wired.tenant() + "#" + messageId)))).item();

        HttpResponse<String> listed = HTTP.send(HttpRequest.newBuilder(URI.create(stack.httpUrl() + "/api/conversations/"
                        + item.get("conversationId").s() + "/messages"))
                .header("Authorization", "Bearer " + TOKENS.mint(wired.tenant(), "agent-1", Duration.ofHours(1))).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(listed.statusCode()).isEqualTo(200);
        JsonNode media = null;
        for (JsonNode message : Json.parse(listed.body()).path("messages")) {
            if (message.path("id").asText().equals(messageId)) {
                media = message.path("media");
            }
        }
        assertThat(media).isNotNull();
        assertThat(media.path("fetchable").asBoolean()).isTrue();
        assertThat(media.path("size").asLong()).isEqualTo(PICTURE.length);
        JsonNode pushed = stack.dynamo().client().scanPaginator(r -> r.tableName("EventsTable").consistentRead(true)).items().stream()
                .filter(event -> event.containsKey("body") && event.get("body").s().contains(messageId))
                .map(event -> Json.parse(event.get("body").s()))
                .filter(event -> event.path("type").asText().equals("new_message"))
                .findFirst().orElseThrow();
        assertThat(pushed.path("message").path("media").path("fetchable").asBoolean()).isTrue();
        assertThat(pushed.path("message").path("media").path("size").asLong()).isEqualTo(PICTURE.length);
    }

    @Test
    void another_tenants_token_finds_no_such_message_and_no_token_is_refused() throws Exception {
        Wired wired = wire(Provider.INBOX_HUB, simulator.apiKey());
        String messageId = mediaMessageArrives(wired, "/picture.png", "image/png", MediaKind.IMAGE, null);

        HttpResponse<byte[]> other = getMedia(messageId, "t-other-" + UUID.randomUUID());
        HttpResponse<byte[]> missing = getMedia("no-such-message", wired.tenant());
        HttpResponse<byte[]> anonymous = getMedia(messageId, null);

        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(error(other).path("error").asText()).isEqualTo("not_found");
        // Exactly what a message that does not exist answers: another tenant's existence is never revealed.
        assertThat(other.body()).isEqualTo(missing.body());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(error(anonymous).path("error").asText()).isEqualTo("unauthorized");
    }

    @Test
    void a_session_without_gateway_credentials_answers_409_naming_the_command_that_sets_them() throws Exception {
        Wired wired = wire(Provider.EVOLUTION, null);
        String messageId = mediaMessageArrives(wired, "/picture.png", "image/png", MediaKind.IMAGE, null);

        HttpResponse<byte[]> response = getMedia(messageId, wired.tenant());

        assertThat(response.statusCode()).isEqualTo(409);
        JsonNode body = error(response);
        assertThat(body.path("error").asText()).isEqualTo("media_unavailable");
        assertThat(body.path("message").asText()).contains("session " + wired.sessionId() + " has no gateway credentials")
                .contains("inbox-relay sessions credentials --session " + wired.sessionId());
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void media_above_4_mib_answers_413_with_its_size_the_limit_and_why(Provider provider) throws Exception {
        Wired wired = wire(provider, simulator.apiKey());
        String messageId = mediaMessageArrives(wired, "/large.mp4", "video/mp4", MediaKind.VIDEO, null);

        HttpResponse<byte[]> response = getMedia(messageId, wired.tenant());

        assertThat(response.statusCode()).isEqualTo(413);
        JsonNode body = error(response);
        assertThat(body.path("error").asText()).isEqualTo("media_too_large");
        // WAHA announces no size: only its download's Content-Length passing the limit tells.
        String size = provider == Provider.WAHA ? "more than 4194304 bytes" : LARGE.length + " bytes";
        assertThat(body.path("message").asText()).isEqualTo("the media of message " + messageId + " has " + size
                + "; at most 4194304 can be proxied (Lambda's 6 MB response payload limit)");
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void a_gateway_refusing_the_stored_key_answers_502_with_its_reason_and_never_the_key(Provider provider) throws Exception {
        Wired wired = wire(provider, "not-the-key-" + UUID.randomUUID());
        String messageId = mediaMessageArrives(wired, "/picture.png", "image/png", MediaKind.IMAGE, null);

        HttpResponse<byte[]> response = getMedia(messageId, wired.tenant());

        assertThat(response.statusCode()).isEqualTo(502);
        JsonNode body = error(response);
        assertThat(body.path("error").asText()).isEqualTo("gateway_error");
        assertThat(body.path("message").asText()).contains("unauthorized").contains("HTTP 401").doesNotContain("not-the-key")
                .doesNotContain(simulator.apiKey()).doesNotContain("127.0.0.1");
    }
}
