package io.inboxrelay.core.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Meta's WhatsApp Cloud API against the shapes of its reference (developers.facebook.com/docs/whatsapp/cloud-api:
 * reference/messages, reference/media, guides/mark-message-as-read, support/error-codes); the send answer also as
 * published in the api-evangelist/whatsapp JSON schema (whatsapp-cloud-api-send-message-response-schema.json).
 */
class MetaCloudClientTest {

    private static final Credential TOKEN = Credential.of("EAAGm0PX4ZCpsBAKZCtokenthatmustnotleak123");

    /** reference/messages, "Response": {messaging_product, contacts:[{input, wa_id}], messages:[{id}]}. */
    private static final String SENT = """
            {"messaging_product":"whatsapp","contacts":[{"input":"5511987654321","wa_id":"5511987654321"}],
             "messages":[{"id":"wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjQ0QzE2QkE3RjlDMjJEMUY1NAA=","message_status":"accepted"}]}""";

    private FakeGateway gateway;
    private MetaCloudClient client;
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeEach
    void start() throws Exception {
        gateway = new FakeGateway();
        client = new MetaCloudClient(FakeGateway.http(sleeper), gateway.baseUrl(), "v23.0", "106540352242922", TOKEN);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void send_text_posts_to_the_phone_number_s_messages_with_the_bearer_token() {
        // reference/messages: POST /{Version}/{Phone-Number-ID}/messages, text object {body, preview_url}, context.message_id
        gateway.on("POST /v23.0/106540352242922/messages", Reply.json(200, SENT));

        SendResult result = client.sendText("+55 11 98765-4321", "Olá", "wamid.QUOTED");

        Recorded request = gateway.only();
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + TOKEN.reveal());
        assertThat(request.json()).isEqualTo(Json.parse("""
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"5511987654321","type":"text",
                 "text":{"body":"Olá","preview_url":false},"context":{"message_id":"wamid.QUOTED"}}"""));
        assertThat(result.messageId()).isEqualTo("wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjQ0QzE2QkE3RjlDMjJEMUY1NAA=");
        assertThat(result.chat()).isEqualTo("5511987654321");
    }

    @Test
    void media_is_sent_by_link_with_a_caption_and_a_document_s_file_name() {
        // reference/messages "Media object": {id | link, caption (not audio/sticker), filename (document)}
        gateway.on("POST /v23.0/106540352242922/messages", Reply.json(200, SENT));

        client.sendMedia("5511987654321", new OutboundMedia("https://f.example.com/c.pdf", "application/pdf", null, "Contrato",
                "contrato.pdf"), null);
        client.sendMedia("5511987654321", new OutboundMedia("https://f.example.com/v.ogg", "audio/ogg", MediaKind.VOICE, "x", null), null);

        List<Recorded> requests = gateway.requests();
        assertThat(requests.get(0).json()).isEqualTo(Json.parse("""
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"5511987654321","type":"document",
                 "document":{"link":"https://f.example.com/c.pdf","caption":"Contrato","filename":"contrato.pdf"}}"""));
        assertThat(requests.get(1).json().path("audio")).isEqualTo(Json.parse("{\"link\":\"https://f.example.com/v.ogg\"}"));
    }

    @Test
    void outside_the_24_hour_window_fails_not_retryable_with_a_readable_reason() {
        // support/error-codes: 131047 "Re-engagement message"; the Graph error envelope {error:{message, type, code, error_data:{details}}}
        gateway.on("POST /v23.0/106540352242922/messages", Reply.json(400, """
                {"error":{"message":"(#131047) Re-engagement message","type":"OAuthException","code":131047,
                 "error_data":{"messaging_product":"whatsapp","details":"Message failed to send because more than 24 hours have passed since the customer last replied to this number."},
                 "fbtrace_id":"AbCdEf"}}"""));

        GatewayException failure = catchThrowableOfType(GatewayException.class, () -> client.sendText("5511987654321", "Oi", null));

        assertThat(failure.failure().kind()).isEqualTo(Kind.OUTSIDE_WINDOW);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.failure().code()).isEqualTo("131047");
        assertThat(failure.failure().reason()).startsWith("more than 24 hours have passed since the customer last replied")
                .contains("template");
        assertThat(gateway.requests()).hasSize(1);
    }

    @ParameterizedTest(name = "Meta {0} over HTTP {1} is {2}")
    @CsvSource({
        "131026, 400, NOT_ON_WHATSAPP",
        "190, 401, UNAUTHORIZED",
        "100, 400, REJECTED",
        "131030, 400, REJECTED",
        "133010, 400, SESSION_NOT_CONNECTED",
        "130429, 429, RATE_LIMITED",
        "131056, 400, RATE_LIMITED",
        "131000, 500, UNAVAILABLE",
        "999999, 400, REJECTED",
        "999999, 503, UNAVAILABLE"})
    void each_documented_error_code_maps_to_its_kind(String code, int status, Kind kind) {
        // support/error-codes
        gateway.on("POST /v23.0/106540352242922/messages", Reply.json(status,
                "{\"error\":{\"message\":\"(#" + code + ") message\",\"type\":\"OAuthException\",\"code\":" + code + "}}"));

        GatewayException failure = catchThrowableOfType(GatewayException.class, () -> client.sendText("5511987654321", "Oi", null));

        assertThat(failure.failure().kind()).isEqualTo(kind);
        assertThat(failure.retryable()).isEqualTo(kind.retryable());
        int attempts = GatewayHttp.retryableStatus(status) ? RetryPolicy.DEFAULT.maxAttempts() : 1;
        assertThat(gateway.requests()).hasSize(attempts);
    }

    @Test
    void an_expired_token_never_appears_in_the_failure() {
        gateway.on("POST /v23.0/106540352242922/messages", Reply.json(401, """
                {"error":{"message":"Error validating access token: Session has expired. token=%s","type":"OAuthException","code":190,
                 "error_subcode":463}}""".formatted(TOKEN.reveal())));

        GatewayException failure = catchThrowableOfType(GatewayException.class, () -> client.sendText("5511987654321", "Oi", null));

        assertThat(failure.failure().kind()).isEqualTo(Kind.UNAUTHORIZED);
        assertThat(failure.getMessage()).contains("access token has expired").doesNotContain(TOKEN.reveal());
    }

    @Test
    void mark_read_sends_one_read_status_for_the_latest_message() {
        // guides/mark-message-as-read: POST /messages {messaging_product, status:"read", message_id} → {success:true};
        // earlier messages of the conversation are marked read with it
        gateway.on("POST /v23.0/106540352242922/messages", Reply.json(200, "{\"success\":true}"));

        client.markRead("5511987654321", List.of("wamid.OLDER", "wamid.LATEST"));

        assertThat(gateway.only().json()).isEqualTo(Json.parse("""
                {"messaging_product":"whatsapp","status":"read","message_id":"wamid.LATEST"}"""));
    }

    @Test
    void fetch_media_asks_for_the_url_and_streams_it_with_the_same_bearer_token() {
        // reference/media "Retrieve Media URL": GET /{Version}/{Media-ID} → {messaging_product, url, mime_type, sha256, file_size, id};
        // "Download Media": GET that url with the access token
        String lookaside = gateway.baseUrl() + "/whatsapp_business/attachments/?mid=1234&ext=99&hash=abc";
        gateway.on("GET /v23.0/1234567890", Reply.json(200, """
                {"messaging_product":"whatsapp","url":"%s","mime_type":"image/jpeg",
                 "sha256":"81d3bd8a8db4868c9520ed47186e8b7c5789e61ff79f7f834be6950b808a90d3","file_size":"3","id":"1234567890"}""".formatted(lookaside)))
                .on("GET /whatsapp_business/attachments/", Reply.bytes(200, "image/jpeg", new byte[] {9, 8, 7}));

        FetchedMedia.Link link = (FetchedMedia.Link) client.fetchMedia(new MediaReference("wamid.X", null, false, "1234567890", null, null));

        assertThat(link.url()).isEqualTo(URI.create(lookaside));
        assertThat(link.contentType()).isEqualTo("image/jpeg");
        assertThat(link.sizeBytes()).isEqualTo(3);
        assertThat(link.toString()).doesNotContain(TOKEN.reveal());
        FetchedMedia.Bytes bytes = new GatewayClients(FakeGateway.http(sleeper), MediaLimits.MAX_PROXY_BYTES)
                .download(client, link, MediaLimits.MAX_PROXY_BYTES);
        assertThat(bytes.data()).containsExactly(9, 8, 7);
        List<Recorded> requests = gateway.requests();
        assertThat(requests).allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer " + TOKEN.reveal()));
        assertThat(requests.get(1).query()).isEqualTo("mid=1234&ext=99&hash=abc");
    }

    @Test
    void media_larger_than_the_proxy_can_return_is_refused_before_downloading() {
        gateway.on("GET /v23.0/77", Reply.json(200, """
                {"messaging_product":"whatsapp","url":"%s/big","mime_type":"video/mp4","file_size":"15728640","id":"77"}"""
                .formatted(gateway.baseUrl())));
        FetchedMedia link = client.fetchMedia(new MediaReference("wamid.X", null, false, "77", null, null));

        GatewayException failure = catchThrowableOfType(GatewayException.class, () -> new GatewayClients(FakeGateway.http(sleeper),
                MediaLimits.MAX_PROXY_BYTES).download(client, link, MediaLimits.MAX_PROXY_BYTES));

        assertThat(failure.failure().kind()).isEqualTo(Kind.TOO_LARGE);
        assertThat(failure.failure().reason()).contains("15728640").contains(String.valueOf(MediaLimits.MAX_PROXY_BYTES));
        assertThat(gateway.requests()).extracting(Recorded::path).containsExactly("/v23.0/77");
    }

    @Test
    void registering_a_webhook_is_not_supported_and_says_where_it_is_done() {
        RegistrationResult result = client.registerWebhook(new WebhookRegistration("https://api.example.com/webhooks/meta-app-1",
                Credential.of("verify-token-0123456789abcdef"), List.of()));

        assertThat(result.registered()).isFalse();
        assertThat(result.detail()).startsWith("not supported by this API: configure in the Meta app dashboard");
        assertThat(gateway.requests()).isEmpty();
    }
}
