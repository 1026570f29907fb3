package io.inboxrelay.core.provider;

import static io.inboxrelay.core.provider.Fixtures.only;
import static io.inboxrelay.core.provider.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboxrelay.core.Direction;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Media;
import io.inboxrelay.core.MessageStatus;
import io.inboxrelay.core.Party;
import io.inboxrelay.core.SessionState;
import io.inboxrelay.core.SessionUpdate;
import io.inboxrelay.core.StatusUpdate;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InboxHubAdapterTest {

    private final InboxHubAdapter adapter = new InboxHubAdapter();

    @Test
    void message_received_is_an_incoming_message_with_a_normalised_phone() {
        ParsedWebhook parsed = parse(adapter, "message-received.json");
        InboundMessage message = only(parsed, InboundMessage.class);
        assertThat(parsed.eventName()).isEqualTo("message.received");
        assertThat(message.messageId()).isEqualTo("3EB0C767D097B7C7C030");
        assertThat(message.direction()).isEqualTo(Direction.LEAD);
        assertThat(message.conversationId()).isEqualTo("5511987654321");
        assertThat(message.contact()).isEqualTo(new Party("5511987654321", "+5511987654321", "+55 11 98765-4321", "Maria Souza"));
        assertThat(message.text()).isEqualTo("Olá, ainda tem o apartamento disponível?");
        assertThat(message.timestamp()).isEqualTo(Instant.parse("2026-03-02T14:05:11Z"));
        assertThat(message.status()).isEqualTo(MessageStatus.DELIVERED);
    }

    @Test
    void media_metadata_is_kept_and_the_caption_is_the_text() {
        InboundMessage message = only(parse(adapter, "message-received-media.json"), InboundMessage.class);
        assertThat(message.media()).isEqualTo(new Media("image", "image/jpeg", "Foto da fachada",
                "https://hub.example.com/media/3EB06F2A1C4D5E6F7A8B.jpg", null, null, 184532L));
        assertThat(message.text()).isEqualTo("Foto da fachada");
        assertThat(message.timestamp()).isEqualTo(Instant.parse("2026-03-02T14:05:30Z"));
    }

    @Test
    void a_group_message_belongs_to_the_group_with_the_sender_as_contact() {
        InboundMessage message = only(parse(adapter, "message-received-group.json"), InboundMessage.class);
        assertThat(message.group()).isTrue();
        assertThat(message.conversationId()).isEqualTo("group:120363041234567890");
        assertThat(message.contact().contactId()).isEqualTo("5511976543210");
        assertThat(message.contact().name()).isEqualTo("Carlos Lima");
    }

    @Test
    void an_embedded_baileys_message_is_read_like_baileys() {
        InboundMessage message = only(parse(adapter, "message-received-baileys.json"), InboundMessage.class);
        assertThat(message.messageId()).isEqualTo("3EB0D9E8F7A6B5C4D3E2");
        assertThat(message.conversationId()).isEqualTo("5511987654321");
        assertThat(message.contact().originalId()).isEqualTo("204936527069362@lid");
        assertThat(message.contact().name()).isEqualTo("Maria Souza");
        assertThat(message.text()).isEqualTo("Pode me mandar o contrato?");
        assertThat(message.timestamp()).isEqualTo(Instant.parse("2026-03-02T14:05:50Z"));
    }

    @Test
    void the_event_can_come_from_the_x_webhook_event_header() {
        byte[] body = Fixtures.bytes("inboxhub", "header-event-message-received.json");
        ParsedWebhook parsed = adapter.parse(Fixtures.request(null, Map.of("x-webhook-event", "message.received"), body),
                Json.parse(new String(body, java.nio.charset.StandardCharsets.UTF_8)));
        InboundMessage message = only(parsed, InboundMessage.class);
        assertThat(message.contact().phone()).isEqualTo("+5511987654321");
        assertThat(message.text()).isEqualTo("Mais uma pergunta");
    }

    @Test
    void message_sent_is_outgoing_to_the_to_number() {
        InboundMessage message = only(parse(adapter, "message-sent.json"), InboundMessage.class);
        assertThat(message.direction()).isEqualTo(Direction.AGENT);
        assertThat(message.conversationId()).isEqualTo("5511987654321");
        assertThat(message.status()).isEqualTo(MessageStatus.SENT);
        assertThat(message.timestamp()).isEqualTo(Instant.parse("2026-03-02T14:06:40Z"));
    }

    @Test
    void delivered_read_and_failed_are_receipts() {
        assertThat(only(parse(adapter, "message-delivered.json"), StatusUpdate.class)).isEqualTo(
                new StatusUpdate("BAE5F3C2A1B0D9E8", "5511987654321", MessageStatus.DELIVERED, null, Instant.parse("2026-03-02T14:06:45Z")));
        assertThat(only(parse(adapter, "message-read.json"), StatusUpdate.class).status()).isEqualTo(MessageStatus.READ);
        StatusUpdate failed = only(parse(adapter, "message-failed.json"), StatusUpdate.class);
        assertThat(failed.status()).isEqualTo(MessageStatus.FAILED);
        assertThat(failed.reason()).isEqualTo("463 recipient not on WhatsApp");
    }

    @Test
    void session_events_are_session_states() {
        assertThat(only(parse(adapter, "session-connected.json"), SessionUpdate.class))
                .isEqualTo(new SessionUpdate(SessionState.CONNECTED, null, Instant.parse("2026-03-02T14:01:40Z")));
        assertThat(only(parse(adapter, "session-disconnected.json"), SessionUpdate.class))
                .isEqualTo(new SessionUpdate(SessionState.DISCONNECTED, "loggedOut", Instant.parse("2026-03-02T14:15:00Z")));
        assertThat(only(parse(adapter, "session-qr.json"), SessionUpdate.class).state()).isEqualTo(SessionState.QR);
    }

    @Test
    void unknown_events_are_ignored_and_a_body_without_event_is_malformed() {
        assertThat(adapter.parse(Fixtures.request(), Json.parse("{\"event\":\"chat.archived\"}")).isIgnored()).isTrue();
        assertThatThrownBy(() -> adapter.parse(Fixtures.request(), Json.parse("{\"message\":{}}")))
                .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("event");
    }

    @Test
    void a_message_without_id_or_number_is_malformed() {
        assertThatThrownBy(() -> adapter.parse(Fixtures.request(), Json.parse("{\"event\":\"message.received\",\"message\":{\"from\":\"5511987654321\",\"text\":\"x\"}}")))
                .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("message.id");
        assertThatThrownBy(() -> adapter.parse(Fixtures.request(), Json.parse("{\"event\":\"message.received\",\"message\":{\"id\":\"A\",\"text\":\"x\"}}")))
                .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("phone");
    }

    /** INTEGRACION_EXTERNA_CRM.md subscribes to `message`, `message_status` and `session_status`. */
    @Test
    void the_integration_guides_message_status_and_session_status_events_are_read() {
        StatusUpdate read = only(adapter.parse(Fixtures.request(), Json.parse("""
                {"event":"message_status","timestamp":"2025-10-14T10:31:00Z","sessionId":"session_crm_01",
                 "data":{"messageId":"msg_12345","status":"read","to":"34612345678"}}""")), StatusUpdate.class);
        assertThat(read.messageId()).isEqualTo("msg_12345");
        assertThat(read.status()).isEqualTo(MessageStatus.READ);
        assertThat(read.conversationId()).isEqualTo("34612345678");
        assertThat(adapter.parse(Fixtures.request(), Json.parse("""
                {"event":"message_status","data":{"messageId":"msg_12345","status":"pending"}}""")).isIgnored()).isTrue();
        assertThat(adapter.parse(Fixtures.request(), Json.parse("""
                {"event":"message_status","data":{"messageId":"msg_12345","status":3}}""")).isIgnored()).isTrue();

        SessionUpdate connected = only(adapter.parse(Fixtures.request(), Json.parse("""
                {"event":"session_status","sessionId":"session_crm_01","data":{"status":"connected"}}""")),
                SessionUpdate.class);
        assertThat(connected.state()).isEqualTo(SessionState.CONNECTED);
        SessionUpdate gone = only(adapter.parse(Fixtures.request(), Json.parse("""
                {"event":"session_status","data":{"status":"disconnected","reason":"logout"}}""")), SessionUpdate.class);
        assertThat(gone.state()).isEqualTo(SessionState.DISCONNECTED);
        assertThat(gone.reason()).isEqualTo("logout");
    }
}
