package io.inboxrelay.core.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.outbound.FakeGateway.Recorded;
import io.inboxrelay.core.outbound.FakeGateway.RecordingSleeper;
import io.inboxrelay.core.outbound.FakeGateway.Reply;
import io.inboxrelay.core.outbound.GatewayFailure.Kind;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WAHA against recorded shapes from devlikeapro/waha (commit 55fc6a4, 2024-10-23) and its documented newer
 * {@code sendSeen} ({@code messageIds}). Each test names the source its request and answer come from.
 */
class WahaClientTest {

    private static final Credential API_KEY = Credential.of("waha-api-key-8d2e6c1f4b9a7e3d5c0b");
    private static final Credential HMAC_KEY = Credential.of("hmac-secret-1a9c7e5b3d2f8a6c4e0b");

    private FakeGateway gateway;
    private WahaClient client;
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeEach
    void start() throws Exception {
        gateway = new FakeGateway();
        client = new WahaClient(FakeGateway.http(sleeper), gateway.baseUrl(), API_KEY, "default");
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void send_text_posts_session_chat_id_text_and_reply_to_with_the_key_header() {
        // src/api/chatting.controller.ts @Post('/sendText'); MessageTextRequest {session, chatId, text, reply_to} in
        // src/structures/chatting.dto.ts; the WEBJS engine answers the whatsapp-web.js message (id._serialized)
        gateway.on("POST /api/sendText", Reply.json(201, """
                {"id":{"fromMe":true,"remote":"5511987654321@c.us","id":"3EB0B430B6F8F1D0E053",
                 "_serialized":"true_5511987654321@c.us_3EB0B430B6F8F1D0E053"},"body":"Olá","fromMe":true,"ack":0}"""));

        SendResult result = client.sendText("+55 11 98765-4321", "Olá", "false_5511987654321@c.us_AAAA");

        Recorded request = gateway.only();
        assertThat(request.header("X-Api-Key")).isEqualTo(API_KEY.reveal());
        assertThat(request.json()).isEqualTo(Json.parse("""
                {"session":"default","chatId":"5511987654321@c.us","text":"Olá","reply_to":"false_5511987654321@c.us_AAAA"}"""));
        assertThat(result.messageId()).isEqualTo("true_5511987654321@c.us_3EB0B430B6F8F1D0E053");
    }

    @Test
    void the_noweb_engine_s_baileys_key_becomes_the_id_waha_s_webhooks_will_use() {
        // src/core/engines/noweb/session.noweb.core.ts sendText returns sock.sendMessage(…): a Baileys WAMessage
        gateway.on("POST /api/sendText", Reply.json(201, """
                {"key":{"remoteJid":"5511987654321@s.whatsapp.net","fromMe":true,"id":"BAE5A1B2C3D4E5F6"},
                 "message":{"extendedTextMessage":{"text":"Olá"}},"messageTimestamp":"1772460400","status":"PENDING"}"""));

        SendResult result = client.sendText("5511987654321@c.us", "Olá", null);

        assertThat(result.messageId()).isEqualTo("true_5511987654321@c.us_BAE5A1B2C3D4E5F6");
        assertThat(gateway.only().json().has("reply_to")).isFalse();
    }

    @Test
    void each_media_kind_goes_to_its_endpoint_with_a_remote_file() {
        // src/api/chatting.controller.ts @Post('/sendImage'|'/sendFile'|'/sendVoice'|'/sendVideo'); FileRequest.file:
        // RemoteFile {mimetype, filename, url} in src/structures/files.dto.ts
        String ok = "{\"id\":\"true_5511987654321@c.us_3EB0\"}";
        gateway.on("POST /api/sendImage", Reply.json(201, ok)).on("POST /api/sendFile", Reply.json(201, ok))
                .on("POST /api/sendVoice", Reply.json(201, ok)).on("POST /api/sendVideo", Reply.json(201, ok));

        client.sendMedia("5511987654321", new OutboundMedia("https://f.example.com/a.jpg", "image/jpeg", null, "Fachada", null), null);
        client.sendMedia("5511987654321", new OutboundMedia("https://f.example.com/c.pdf", "application/pdf", null, null, "c.pdf"), null);
        client.sendMedia("5511987654321", new OutboundMedia("https://f.example.com/v.ogg", "audio/ogg; codecs=opus", null, "x", null), null);
        client.sendMedia("5511987654321", new OutboundMedia("https://f.example.com/m.mp4", "video/mp4", null, null, null), null);

        List<Recorded> requests = gateway.requests();
        assertThat(requests).extracting(Recorded::path)
                .containsExactly("/api/sendImage", "/api/sendFile", "/api/sendVoice", "/api/sendVideo");
        assertThat(requests.get(0).json()).isEqualTo(Json.parse("""
                {"session":"default","chatId":"5511987654321@c.us",
                 "file":{"url":"https://f.example.com/a.jpg","mimetype":"image/jpeg"},"caption":"Fachada"}"""));
        assertThat(requests.get(1).json().path("file").path("filename").textValue()).isEqualTo("c.pdf");
        assertThat(requests.get(2).json().has("caption")).as("a voice note has no caption").isFalse();
    }

    @Test
    void mark_read_sends_seen_for_the_chat_and_message_ids() {
        // src/api/chatting.controller.ts @Post('/sendSeen'); SendSeenRequest {session, chatId, messageIds?}
        gateway.on("POST /api/sendSeen", Reply.json(201, "{}"));

        client.markRead("5511987654321@c.us", List.of("false_5511987654321@c.us_3EB0A1", "false_5511987654321@c.us_3EB0A2"));

        assertThat(gateway.only().json()).isEqualTo(Json.parse("""
                {"session":"default","chatId":"5511987654321@c.us",
                 "messageIds":["false_5511987654321@c.us_3EB0A1","false_5511987654321@c.us_3EB0A2"]}"""));
    }

    @Test
    void a_session_that_is_not_working_fails_retryable_with_its_status() {
        // src/core/abc/manager.abc.ts waitUntilStatus: UnprocessableEntityException({error, session, status, expected})
        gateway.on("POST /api/sendText", Reply.json(422, """
                {"error":"Session status is not as expected. Try again later or restart the session",
                 "session":"default","status":"SCAN_QR_CODE","expected":["WORKING"]}"""));

        GatewayException failure = catchThrowableOfType(GatewayException.class, () -> client.sendText("5511987654321", "Oi", null));

        assertThat(gateway.requests()).as("a 4xx is not retried within the call").hasSize(1);
        assertThat(failure.failure().kind()).isEqualTo(Kind.SESSION_NOT_CONNECTED);
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.failure().code()).isEqualTo("SCAN_QR_CODE");
        assertThat(failure.failure().reason()).contains("Session status is not as expected");
    }

    @Test
    void a_number_without_whatsapp_fails_not_on_whatsapp_not_as_a_retryable_500() {
        // devlikeapro/waha#2094: sending to a number with no WhatsApp account answers Nest's 500 with the engine's error.
        gateway.on("POST /api/sendText", Reply.json(500, """
                {"statusCode":500,"timestamp":"2025-05-02T10:00:00.000Z","exception":{"message":"Evaluation failed: Error: No LID for user","name":"Error"}}"""));

        GatewayException failure = catchThrowableOfType(GatewayException.class, () -> client.sendText("5511900000000", "Oi", null));

        assertThat(failure.failure().kind()).isEqualTo(Kind.NOT_ON_WHATSAPP);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.failure().reason()).startsWith("this number is not on WhatsApp").contains("No LID for user");
    }

    @Test
    void a_validation_error_fails_rejected_with_nest_s_messages() {
        // class-validator ValidationPipe on the controllers (see src/main.ts): Nest's 400 {statusCode, message: [..], error}
        gateway.on("POST /api/sendText", Reply.json(400, """
                {"statusCode":400,"message":["chatId must be a string"],"error":"Bad Request"}"""));

        GatewayException failure = catchThrowableOfType(GatewayException.class, () -> client.sendText("5511987654321", "Oi", null));

        assertThat(failure.failure().kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.failure().reason()).isEqualTo("chatId must be a string");
    }

    @Test
    void a_wrong_key_fails_unauthorized_without_showing_it() {
        // WHATSAPP_API_KEY (src/config.service.ts) checked in the X-Api-Key header (src/core/SwaggerConfiguratorCore.ts):
        // Nest's UnauthorizedException body {message: "Unauthorized", statusCode: 401}
        gateway.on("POST /api/sendText", Reply.json(401, "{\"message\":\"Unauthorized\",\"statusCode\":401}"));

        GatewayException failure = catchThrowableOfType(GatewayException.class, () -> client.sendText("5511987654321", "Oi", null));

        assertThat(failure.failure().kind()).isEqualTo(Kind.UNAUTHORIZED);
        assertThat(failure.getMessage()).doesNotContain(API_KEY.reveal());
    }

    @Test
    void fetch_media_rebases_waha_s_files_url_onto_the_gateway_and_carries_the_key() {
        // src/core/media/local/MediaLocalStorageConfig.ts filesUri '/api/files'; media.url example in src/structures/media.dto.ts
        MediaReference reference = new MediaReference("false_5511987654321@c.us_AAAA", null, false, null,
                "http://localhost:3000/api/files/default/false_5511987654321@c.us_AAAA.oga", "audio/ogg; codecs=opus");

        FetchedMedia.Link link = (FetchedMedia.Link) client.fetchMedia(reference);

        assertThat(link.url()).isEqualTo(URI.create(gateway.baseUrl() + "/api/files/default/false_5511987654321@c.us_AAAA.oga"));
        assertThat(link.headerName()).isEqualTo("X-Api-Key");
        assertThat(link.headerValue()).isEqualTo(API_KEY);
        assertThat(link.contentType()).isEqualTo("audio/ogg; codecs=opus");
        assertThat(link.toString()).doesNotContain(API_KEY.reveal());
    }

    @Test
    void media_stored_elsewhere_is_streamed_without_the_key() {
        MediaReference reference = new MediaReference("x", null, false, null, "https://bucket.s3.example.com/waha/x.jpg?X-Amz-Signature=abc",
                "image/jpeg");

        FetchedMedia.Link link = (FetchedMedia.Link) client.fetchMedia(reference);

        assertThat(link.headerName()).isNull();
        assertThat(link.url().getHost()).isEqualTo("bucket.s3.example.com");
    }

    @Test
    void the_media_proxy_downloads_the_bytes_with_the_key() {
        gateway.on("GET /api/files/default/a.jpg", Reply.bytes(200, "image/jpeg", new byte[] {1, 2, 3}));
        FetchedMedia link = client.fetchMedia(new MediaReference("a", null, false, null, "http://localhost:3000/api/files/default/a.jpg", null));

        FetchedMedia.Bytes bytes = new GatewayClients(FakeGateway.http(sleeper), MediaLimits.MAX_PROXY_BYTES)
                .download(client, link, MediaLimits.MAX_PROXY_BYTES);

        assertThat(bytes.data()).containsExactly(1, 2, 3);
        assertThat(bytes.contentType()).isEqualTo("image/jpeg");
        assertThat(gateway.only().header("X-Api-Key")).isEqualTo(API_KEY.reveal());
    }

    @Test
    void register_webhook_keeps_the_session_s_other_webhooks_and_settings() {
        // src/api/sessions.controller.ts @Get(':session') and @Put(':session') with SessionUpdateRequest {config};
        // WebhookConfig {url, events, hmac:{key}, retries, customHeaders} in src/structures/webhooks.config.dto.ts
        gateway.on("GET /api/sessions/default", Reply.json(200, """
                {"name":"default","status":"WORKING","config":{"proxy":null,"metadata":{"crm":"acme"},"webhooks":[
                  {"url":"https://other.example.com/hook","events":["message"]},
                  {"url":"https://api.example.com/webhooks/default","events":["message"],"hmac":{"key":"old"}}]}}"""))
                .on("PUT /api/sessions/default", Reply.json(200, "{\"name\":\"default\",\"status\":\"STARTING\"}"));

        RegistrationResult result = client.registerWebhook(new WebhookRegistration("https://api.example.com/webhooks/default",
                HMAC_KEY, List.of()));

        List<Recorded> requests = gateway.requests();
        assertThat(requests).extracting(r -> r.method() + " " + r.path())
                .containsExactly("GET /api/sessions/default", "PUT /api/sessions/default");
        Recorded put = requests.get(1);
        assertThat(put.header("X-Api-Key")).isEqualTo(API_KEY.reveal());
        JsonNode config = put.json().path("config");
        assertThat(config.path("metadata").path("crm").textValue()).isEqualTo("acme");
        assertThat(config.path("webhooks")).hasSize(2);
        assertThat(config.path("webhooks").path(0).path("url").textValue()).isEqualTo("https://other.example.com/hook");
        JsonNode ours = config.path("webhooks").path(1);
        assertThat(ours.path("url").textValue()).isEqualTo("https://api.example.com/webhooks/default");
        assertThat(ours.path("hmac").path("key").textValue()).isEqualTo(HMAC_KEY.reveal());
        assertThat(ours.path("events")).extracting(JsonNode::textValue).containsExactlyElementsOf(WahaClient.DEFAULT_EVENTS);
        assertThat(result.registered()).isTrue();
    }

    @Test
    void an_unknown_session_fails_not_found() {
        // src/core/manager.core.ts getSession: NotFoundException(`We didn't find a session with name '…'`)
        gateway.on("GET /api/sessions/default", Reply.json(404, """
                {"statusCode":404,"message":"We didn't find a session with name 'default'. Please start it first.","error":"Not Found"}"""));

        GatewayException failure = catchThrowableOfType(GatewayException.class, () -> client.registerWebhook(
                new WebhookRegistration("https://api.example.com/webhooks/default", HMAC_KEY, List.of())));

        assertThat(failure.failure().kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(failure.failure().reason()).startsWith("We didn't find a session");
        assertThat(failure.getMessage()).doesNotContain(HMAC_KEY.reveal()).doesNotContain(API_KEY.reveal());
    }
}
