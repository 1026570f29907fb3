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
 * The generic Inbox Hub bridge: the send contract this project defines in docs/generic-webhook-format.md ("Sending"),
 * and the seed's webhook registration (Xappiens/xappiens_whatsapp, xappiens_whatsapp/api/session.py
 * update_session_webhook: PUT {api_base_url}/api/sessions/{id}/webhook, X-API-Key, {webhookUrl, webhookSecret}).
 */
class InboxHubClientTest {

    private static final Credential API_KEY = Credential.of("hub-api-key-7b3e9c1d5f2a8e4c6b0d");
    private static final Credential SECRET = Credential.of("whsec-session-secret-2f8d6b4a0c9e7d5b3a1f");

    private FakeGateway gateway;
    private InboxHubClient client;

    @BeforeEach
    void start() throws Exception {
        gateway = new FakeGateway();
        client = new InboxHubClient(FakeGateway.http(new RecordingSleeper()), gateway.baseUrl(), API_KEY, "grupo_atu_mhomrgbz_4wk5bw");
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void send_text_posts_to_reply_to_and_text_and_returns_the_bridge_s_id() {
        // docs/generic-webhook-format.md "Sending": POST /api/sessions/{id}/messages {to, text, reply_to?} → {id}
        gateway.on("POST /api/sessions/grupo_atu_mhomrgbz_4wk5bw/messages", Reply.json(201,
                "{\"id\":\"3EB0F00D00000000CAFE\",\"chat\":\"34612345678@s.whatsapp.net\",\"status\":\"pending\"}"));

        SendResult result = client.sendText("+34612345678", "Hola", "3EB0250462D167CE4A3F0D");

        Recorded request = gateway.only();
        assertThat(request.header("X-API-Key")).isEqualTo(API_KEY.reveal());
        assertThat(request.json()).isEqualTo(Json.parse("{\"to\":\"+34612345678\",\"text\":\"Hola\",\"reply_to\":\"3EB0250462D167CE4A3F0D\"}"));
        assertThat(result).isEqualTo(new SendResult("3EB0F00D00000000CAFE", "34612345678@s.whatsapp.net"));
    }

    @Test
    void send_media_posts_the_media_object() {
        // docs/generic-webhook-format.md "Sending": media {type, url, mimetype, filename, caption}
        gateway.on("POST /api/sessions/grupo_atu_mhomrgbz_4wk5bw/messages", Reply.json(201, "{\"id\":\"3EB0M\"}"));

        client.sendMedia("34612345678", new OutboundMedia("https://f.example.com/p.jpg", "image/jpeg", null, "Presupuesto", null), null);

        assertThat(gateway.only().json()).isEqualTo(Json.parse("""
                {"to":"34612345678","media":{"type":"image","url":"https://f.example.com/p.jpg","mimetype":"image/jpeg","caption":"Presupuesto"}}"""));
    }

    @Test
    void mark_read_posts_the_chat_and_message_ids() {
        // docs/generic-webhook-format.md "Sending": POST /api/sessions/{id}/read {chat, message_ids} → 204
        gateway.on("POST /api/sessions/grupo_atu_mhomrgbz_4wk5bw/read", new Reply(204, java.util.Map.of(), new byte[0], java.time.Duration.ZERO));

        client.markRead("34612345678@s.whatsapp.net", List.of("3EB0A", "3EB0B"));

        assertThat(gateway.only().json()).isEqualTo(Json.parse("{\"chat\":\"34612345678@s.whatsapp.net\",\"message_ids\":[\"3EB0A\",\"3EB0B\"]}"));
    }

    @Test
    void documented_error_codes_map_to_their_kinds() {
        // docs/generic-webhook-format.md "Sending", errors: {error:{code, message}}
        gateway.on("POST /api/sessions/grupo_atu_mhomrgbz_4wk5bw/messages",
                Reply.json(422, "{\"error\":{\"code\":\"not_on_whatsapp\",\"message\":\"34600000000 is not on WhatsApp\"}}"));

        GatewayException notOnWhatsApp = catchThrowableOfType(GatewayException.class, () -> client.sendText("34600000000", "Hola", null));

        assertThat(notOnWhatsApp.failure().kind()).isEqualTo(Kind.NOT_ON_WHATSAPP);
        assertThat(notOnWhatsApp.retryable()).isFalse();
        assertThat(notOnWhatsApp.failure().reason()).isEqualTo("34600000000 is not on WhatsApp");

        gateway.on("POST /api/sessions/grupo_atu_mhomrgbz_4wk5bw/messages",
                Reply.json(409, "{\"error\":{\"code\":\"session_not_connected\",\"message\":\"scan the QR code\"}}"));
        GatewayException disconnected = catchThrowableOfType(GatewayException.class, () -> client.sendText("34600000000", "Hola", null));
        assertThat(disconnected.failure().kind()).isEqualTo(Kind.SESSION_NOT_CONNECTED);
        assertThat(disconnected.retryable()).isTrue();
    }

    @Test
    void the_seed_s_error_shape_is_read_too() {
        // xappiens_whatsapp/api/session.py reads error_json.get('error') or error_json.get('message')
        gateway.on("POST /api/sessions/grupo_atu_mhomrgbz_4wk5bw/messages", Reply.json(401, "{\"error\":\"Invalid API key\"}"));

        GatewayException failure = catchThrowableOfType(GatewayException.class, () -> client.sendText("34600000000", "Hola", null));

        assertThat(failure.failure().kind()).isEqualTo(Kind.UNAUTHORIZED);
        assertThat(failure.failure().reason()).isEqualTo("Invalid API key");
    }

    @Test
    void fetch_media_points_at_the_message_s_media_with_the_key() {
        // docs/generic-webhook-format.md "Sending": GET /api/sessions/{id}/messages/{messageId}/media
        FetchedMedia.Link link = (FetchedMedia.Link) client.fetchMedia(new MediaReference("3EB06F2A1C4D5E6F7A8B", null, false, null, null,
                "image/jpeg"));

        assertThat(link.url()).isEqualTo(URI.create(gateway.baseUrl() + "/api/sessions/grupo_atu_mhomrgbz_4wk5bw/messages/3EB06F2A1C4D5E6F7A8B/media"));
        assertThat(link.headerName()).isEqualTo("X-API-Key");
        assertThat(link.contentType()).isEqualTo("image/jpeg");
    }

    @Test
    void register_webhook_puts_url_secret_and_events_in_both_spellings() {
        // xappiens_whatsapp/api/session.py update_session_webhook: requests.put(f"{api_base_url}/api/sessions/{session_identifier}/webhook",
        // json={"webhookUrl", "webhookSecret"}, headers={"X-API-Key"}) and success on 200/204
        gateway.on("PUT /api/sessions/grupo_atu_mhomrgbz_4wk5bw/webhook", Reply.json(200, "{\"success\":true}"));

        RegistrationResult result = client.registerWebhook(new WebhookRegistration(
                "https://api.example.com/webhooks/grupo_atu_mhomrgbz_4wk5bw", SECRET, List.of()));

        Recorded request = gateway.only();
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.header("X-API-Key")).isEqualTo(API_KEY.reveal());
        JsonNode body = request.json();
        assertThat(body.path("webhookUrl").textValue()).isEqualTo("https://api.example.com/webhooks/grupo_atu_mhomrgbz_4wk5bw");
        assertThat(body.path("webhookSecret").textValue()).isEqualTo(SECRET.reveal());
        assertThat(body.path("url").textValue()).isEqualTo(body.path("webhookUrl").textValue());
        assertThat(body.path("secret").textValue()).isEqualTo(SECRET.reveal());
        assertThat(body.path("events")).extracting(JsonNode::textValue).containsExactlyElementsOf(InboxHubClient.DEFAULT_EVENTS);
        assertThat(result.registered()).isTrue();
        assertThat(result.toString()).doesNotContain(SECRET.reveal());
    }

    @Test
    void the_client_for_a_connection_is_the_provider_s_class() {
        GatewayClients clients = new GatewayClients(FakeGateway.http(new RecordingSleeper()), MediaLimits.MAX_PROXY_BYTES);
        assertThat(clients.forConnection(new GatewayConnection(io.inboxrelay.core.Provider.INBOX_HUB, gateway.baseUrl(), API_KEY, "s", null)))
                .isInstanceOf(InboxHubClient.class);
        assertThat(clients.forConnection(new GatewayConnection(io.inboxrelay.core.Provider.EVOLUTION, gateway.baseUrl(), API_KEY, "s", null)))
                .isInstanceOf(EvolutionClient.class);
        assertThat(clients.forConnection(new GatewayConnection(io.inboxrelay.core.Provider.WAHA, gateway.baseUrl(), API_KEY, "s", null)))
                .isInstanceOf(WahaClient.class);
        assertThat(clients.forConnection(new GatewayConnection(io.inboxrelay.core.Provider.META, null, API_KEY, "106540352242922", null)))
                .isInstanceOf(MetaCloudClient.class);
        assertThat(new GatewayConnection(io.inboxrelay.core.Provider.WAHA, gateway.baseUrl(), API_KEY, "s", null).toString())
                .doesNotContain(API_KEY.reveal());
    }
}
