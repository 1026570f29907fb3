package io.inboxrelay.core.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.outbound.FakeGateway.Recorded;
import io.inboxrelay.core.outbound.FakeGateway.RecordingSleeper;
import io.inboxrelay.core.outbound.FakeGateway.Reply;
import io.inboxrelay.core.outbound.GatewayFailure.Kind;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Evolution API v2 against recorded shapes from EvolutionAPI/evolution-api (commit 3454bec, 2025-10-21).
 * Each test names the source file its request and answer come from.
 */
class EvolutionClientTest {

    private static final Credential API_KEY = Credential.of("evo-global-key-5f2c1b7e9a0d4c3b8e6f");
    private static final Credential JWT_KEY = Credential.of("jwt-signing-secret-4c1d9e7b2a6f8e3d0c5b");

    /** src/api/integrations/channel/whatsapp/whatsapp.baileys.service.ts sendMessageWithTyping → prepareMessage(messageSent), answered 201 by src/api/routes/sendMessage.router.ts. */
    private static final String SENT = """
            {"key":{"remoteJid":"5511987654321@s.whatsapp.net","fromMe":true,"id":"BAE5F3C2A1B0D9E8"},
             "pushName":"","status":"PENDING","message":{"conversation":"Olá"},"messageType":"conversation",
             "messageTimestamp":1772460400,"instanceId":"1f0b6a1c-0000-4000-8000-000000000001","source":"unknown"}""";

    private FakeGateway gateway;
    private EvolutionClient client;
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeEach
    void start() throws Exception {
        gateway = new FakeGateway();
        client = new EvolutionClient(FakeGateway.http(sleeper), gateway.baseUrl(), API_KEY, "acme sales", MediaLimits.MAX_PROXY_BYTES);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void send_text_posts_number_and_text_with_the_apikey_header_and_returns_key_id() {
        // src/api/routes/sendMessage.router.ts (POST /message/sendText/{instance}); body per textMessageSchema in src/validate/message.schema.ts
        gateway.on("POST /message/sendText/acme%20sales", Reply.json(201, SENT));

        SendResult result = client.sendText("+55 11 98765-4321", "Olá", null);

        Recorded request = gateway.only();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("apikey")).isEqualTo(API_KEY.reveal());
        assertThat(request.header("Content-Type")).startsWith("application/json");
        assertThat(request.json()).isEqualTo(json("{\"number\":\"5511987654321\",\"text\":\"Olá\"}"));
        assertThat(result.messageId()).isEqualTo("BAE5F3C2A1B0D9E8");
        assertThat(result.chat()).isEqualTo("5511987654321@s.whatsapp.net");
    }

    @Test
    void a_reply_quotes_the_message_by_its_key_id() {
        // quotedOptionsSchema in src/validate/message.schema.ts: quoted.key.id required
        gateway.on("POST /message/sendText/acme%20sales", Reply.json(201, SENT));

        client.sendText("5511987654321", "Sim", "3EB0C767D097B7C7C030");

        assertThat(gateway.only().json().path("quoted")).isEqualTo(json("{\"key\":{\"id\":\"3EB0C767D097B7C7C030\"}}"));
    }

    @Test
    void send_media_posts_mediatype_mimetype_caption_media_and_file_name() {
        // mediaMessageSchema in src/validate/message.schema.ts; SendMediaDto in src/api/dto/sendMessage.dto.ts
        gateway.on("POST /message/sendMedia/acme%20sales", Reply.json(201, SENT));

        client.sendMedia("5511987654321", new OutboundMedia("https://files.example.com/c.pdf", "application/pdf", null,
                "O contrato", "contrato.pdf"), null);

        assertThat(gateway.only().json()).isEqualTo(json("""
                {"number":"5511987654321","mediatype":"document","media":"https://files.example.com/c.pdf",
                 "mimetype":"application/pdf","caption":"O contrato","fileName":"contrato.pdf"}"""));
    }

    @Test
    void a_voice_note_goes_to_send_whatsapp_audio() {
        // src/api/routes/sendMessage.router.ts POST /message/sendWhatsAppAudio/{instance}; SendAudioDto {number, audio}
        gateway.on("POST /message/sendWhatsAppAudio/acme%20sales", Reply.json(201, SENT));

        client.sendMedia("5511987654321", new OutboundMedia("https://files.example.com/v.ogg", "audio/ogg; codecs=opus",
                MediaKind.VOICE, null, null), null);

        assertThat(gateway.only().json()).isEqualTo(json("{\"number\":\"5511987654321\",\"audio\":\"https://files.example.com/v.ogg\"}"));
    }

    @Test
    void a_number_without_whatsapp_fails_not_retryable_with_the_number() {
        // whatsapp.baileys.service.ts sendMessageWithTyping: `throw new BadRequestException(isWA)` when !isWA.exists;
        // src/exceptions/400.exception.ts + src/main.ts error handler: {status, error, response:{message}}
        gateway.on("POST /message/sendText/acme%20sales", Reply.json(400, """
                {"status":400,"error":"Bad Request","response":{"message":[{"jid":"5511900000000@s.whatsapp.net",
                 "exists":false,"number":"5511900000000"}]}}"""));

        GatewayException failure = catchThrowableOfType(GatewayException.class, () -> client.sendText("5511900000000", "Oi", null));

        assertThat(failure.failure().kind()).isEqualTo(Kind.NOT_ON_WHATSAPP);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.failure().reason()).isEqualTo("the number 5511900000000 is not on WhatsApp");
        assertThat(gateway.requests()).hasSize(1);
    }

    @Test
    void a_wrong_api_key_fails_unauthorized_and_never_shows_the_key() {
        // src/api/guards/auth.guard.ts throws UnauthorizedException; src/exceptions/401.exception.ts
        gateway.on("POST /message/sendText/acme%20sales", Reply.json(401, """
                {"status":401,"error":"Unauthorized","response":{"message":"Unauthorized"}}"""));

        GatewayException failure = catchThrowableOfType(GatewayException.class, () -> client.sendText("5511987654321", "Oi", null));

        assertThat(failure.failure().kind()).isEqualTo(Kind.UNAUTHORIZED);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains("HTTP 401").doesNotContain(API_KEY.reveal());
    }

    @Test
    void an_unknown_instance_fails_not_found_with_evolution_s_words() {
        // src/api/guards/instance.guard.ts: NotFoundException(`The "${instanceName}" instance does not exist`)
        gateway.on("POST /message/sendText/acme%20sales", Reply.json(404, """
                {"status":404,"error":"Not Found","response":{"message":["The \\"acme sales\\" instance does not exist"]}}"""));

        GatewayException failure = catchThrowableOfType(GatewayException.class, () -> client.sendText("5511987654321", "Oi", null));

        assertThat(failure.failure().kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(failure.failure().reason()).isEqualTo("The \"acme sales\" instance does not exist");
    }

    @Test
    void a_closed_connection_is_retried_and_then_reported_as_the_session_not_connected() {
        // src/main.ts turns any thrown error into 500 {status:500, error:"Internal Server Error", response:{message}}
        gateway.on("POST /message/sendText/acme%20sales", Reply.json(500, """
                {"status":500,"error":"Internal Server Error","response":{"message":["Error: Connection Closed"]}}"""));

        GatewayException failure = catchThrowableOfType(GatewayException.class, () -> client.sendText("5511987654321", "Oi", null));

        assertThat(gateway.requests()).hasSize(RetryPolicy.DEFAULT.maxAttempts());
        assertThat(failure.failure().kind()).isEqualTo(Kind.SESSION_NOT_CONNECTED);
        assertThat(failure.retryable()).isTrue();
    }

    @Test
    void mark_read_sends_each_message_key_of_the_lead_s_chat() {
        // src/api/routes/chat.router.ts POST /chat/markMessageAsRead/{instance}; ReadMessageDto in src/api/dto/chat.dto.ts;
        // answered 201 {message:'Read messages', read:'success'} by markMessageAsRead in whatsapp.baileys.service.ts
        gateway.on("POST /chat/markMessageAsRead/acme%20sales", Reply.json(201, "{\"message\":\"Read messages\",\"read\":\"success\"}"));

        client.markRead("+5511987654321", List.of("3EB0A1", "3EB0A2"));

        assertThat(gateway.only().json()).isEqualTo(json("""
                {"readMessages":[{"remoteJid":"5511987654321@s.whatsapp.net","fromMe":false,"id":"3EB0A1"},
                                 {"remoteJid":"5511987654321@s.whatsapp.net","fromMe":false,"id":"3EB0A2"}]}"""));
    }

    @Test
    void fetch_media_decodes_the_base64_with_its_mimetype_and_file_name() {
        // src/api/routes/chat.router.ts POST /chat/getBase64FromMediaMessage/{instance}; getBase64FromMediaMessageDto;
        // answer {mediaType, fileName, caption, size, mimetype, base64} from getBase64FromMediaMessage in whatsapp.baileys.service.ts
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3};
        gateway.on("POST /chat/getBase64FromMediaMessage/acme%20sales", Reply.json(201, """
                {"mediaType":"imageMessage","fileName":"3EB06F.jpeg","caption":"Foto","size":{"fileLength":"7"},
                 "mimetype":"image/jpeg","base64":"%s","buffer":null}""".formatted(Base64.getEncoder().encodeToString(jpeg))));

        FetchedMedia media = client.fetchMedia(new MediaReference("3EB06F", "5511987654321@s.whatsapp.net", false, null, null, null));

        assertThat(gateway.only().json()).isEqualTo(json("""
                {"message":{"key":{"id":"3EB06F","remoteJid":"5511987654321@s.whatsapp.net","fromMe":false}},"convertToMp4":false}"""));
        FetchedMedia.Bytes bytes = (FetchedMedia.Bytes) media;
        assertThat(bytes.data()).isEqualTo(jpeg);
        assertThat(bytes.contentType()).isEqualTo("image/jpeg");
        assertThat(bytes.fileName()).isEqualTo("3EB06F.jpeg");
    }

    @Test
    void media_larger_than_the_proxy_can_return_fails_too_large() {
        EvolutionClient small = new EvolutionClient(FakeGateway.http(sleeper), gateway.baseUrl(), API_KEY, "acme sales", 4);
        gateway.on("POST /chat/getBase64FromMediaMessage/acme%20sales", Reply.json(201,
                "{\"mimetype\":\"image/jpeg\",\"base64\":\"" + Base64.getEncoder().encodeToString(new byte[64]) + "\"}"));

        GatewayException failure = catchThrowableOfType(GatewayException.class, () -> small.fetchMedia(MediaReference.ofMessage("3EB06F")));

        assertThat(failure.failure().kind()).isEqualTo(Kind.TOO_LARGE);
        assertThat(failure.retryable()).isFalse();
    }

    @Test
    void register_webhook_sets_one_url_for_the_events_with_the_jwt_key_header() {
        // src/api/integrations/event/webhook/webhook.router.ts POST /webhook/set/{instance} (201);
        // webhookSchema in webhook.schema.ts; jwt_key header → HS256 JWT in webhook.controller.ts
        gateway.on("POST /webhook/set/acme%20sales", Reply.json(201, "{\"webhook\":{\"instanceName\":\"acme sales\",\"webhook\":{\"enabled\":true}}}"));

        RegistrationResult result = client.registerWebhook(new WebhookRegistration(
                "https://api.example.com/webhooks/acme-sales", JWT_KEY, List.of()));

        Recorded request = gateway.only();
        assertThat(request.header("apikey")).isEqualTo(API_KEY.reveal());
        JsonNode webhook = request.json().path("webhook");
        assertThat(webhook.path("enabled").booleanValue()).isTrue();
        assertThat(webhook.path("url").textValue()).isEqualTo("https://api.example.com/webhooks/acme-sales");
        assertThat(webhook.path("byEvents").booleanValue()).isFalse();
        assertThat(webhook.path("base64").booleanValue()).isFalse();
        assertThat(webhook.path("headers").path("jwt_key").textValue()).isEqualTo(JWT_KEY.reveal());
        assertThat(webhook.path("events")).extracting(JsonNode::textValue)
                .containsExactlyElementsOf(EvolutionClient.DEFAULT_EVENTS);
        assertThat(result.registered()).isTrue();
        assertThat(result.detail()).doesNotContain(JWT_KEY.reveal());
    }

    @Test
    void a_refused_registration_never_shows_the_webhook_secret_even_if_echoed() {
        gateway.on("POST /webhook/set/acme%20sales", Reply.json(400, """
                {"status":400,"error":"Bad Request","response":{"message":["invalid header jwt_key=%s"]}}""".formatted(JWT_KEY.reveal())));

        GatewayException failure = catchThrowableOfType(GatewayException.class, () -> client.registerWebhook(
                new WebhookRegistration("https://api.example.com/webhooks/acme-sales", JWT_KEY, List.of())));

        assertThat(failure.failure().kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure.getMessage()).doesNotContain(JWT_KEY.reveal()).contains("[redacted]");
    }

    private static JsonNode json(String text) {
        return io.inboxrelay.core.Json.parse(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }
}
