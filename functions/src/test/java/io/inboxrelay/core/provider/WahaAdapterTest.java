package io.inboxrelay.core.provider;

import static io.inboxrelay.core.provider.Fixtures.only;
import static io.inboxrelay.core.provider.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboxrelay.core.Direction;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.MessageStatus;
import io.inboxrelay.core.Party;
import io.inboxrelay.core.SessionState;
import io.inboxrelay.core.SessionUpdate;
import io.inboxrelay.core.StatusUpdate;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WahaAdapterTest {

    private final WahaAdapter adapter = new WahaAdapter();

    @Test
    void a_c_us_message_becomes_an_incoming_message_with_the_bare_id() {
        ParsedWebhook parsed = parse(adapter, "message-c-us.json");
        InboundMessage message = only(parsed, InboundMessage.class);
        assertThat(parsed.eventName()).isEqualTo("message");
        assertThat(message.messageId()).isEqualTo("3EB0C767D097B7C7C030");
        assertThat(message.providerMessageId()).isEqualTo("false_5511987654321@c.us_3EB0C767D097B7C7C030");
        assertThat(message.direction()).isEqualTo(Direction.LEAD);
        assertThat(message.conversationId()).isEqualTo("5511987654321");
        assertThat(message.contact()).isEqualTo(new Party("5511987654321", "+5511987654321", "5511987654321@c.us", "Maria Souza"));
        assertThat(message.text()).isEqualTo("Olá, ainda tem o apartamento disponível?");
        assertThat(message.timestamp()).isEqualTo(Instant.parse("2026-03-02T14:05:11Z"));
        assertThat(message.status()).isEqualTo(MessageStatus.SENT);
        assertThat(message.group()).isFalse();
    }

    @Test
    void the_lid_twin_of_a_message_has_the_same_message_id() {
        InboundMessage cUs = only(parse(adapter, "message-c-us.json"), InboundMessage.class);
        InboundMessage lid = only(parse(adapter, "message-lid.json"), InboundMessage.class);
        assertThat(lid.messageId()).isEqualTo(cUs.messageId());
        assertThat(lid.contact().contactId()).isEqualTo("lid:204936527069362");
        assertThat(lid.contact().phone()).isNull();
    }

    @Test
    void message_any_from_me_is_an_outgoing_message_to_the_chat() {
        ParsedWebhook parsed = parse(adapter, "message-any-from-me.json");
        InboundMessage message = only(parsed, InboundMessage.class);
        assertThat(parsed.eventName()).isEqualTo("message.any");
        assertThat(message.direction()).isEqualTo(Direction.AGENT);
        assertThat(message.messageId()).isEqualTo("3EB0A9B8C7D6E5F40312");
        assertThat(message.conversationId()).isEqualTo("5511987654321");
        assertThat(message.contact().name()).isNull();
        assertThat(message.status()).isEqualTo(MessageStatus.DELIVERED);
    }

    @Test
    void a_group_message_id_drops_the_participant_part_and_the_contact_is_the_participant() {
        InboundMessage message = only(parse(adapter, "message-group.json"), InboundMessage.class);
        assertThat(message.messageId()).isEqualTo("3EB0A1B2C3D4E5F60718");
        assertThat(message.group()).isTrue();
        assertThat(message.conversationId()).isEqualTo("group:120363041234567890");
        assertThat(message.contact().contactId()).isEqualTo("5511976543210");
        assertThat(message.contact().name()).isEqualTo("Carlos Lima");
    }

    @Test
    void a_media_message_keeps_url_mime_type_and_caption() {
        InboundMessage message = only(parse(adapter, "message-image.json"), InboundMessage.class);
        assertThat(message.media().type()).isEqualTo("image");
        assertThat(message.media().mimeType()).isEqualTo("image/jpeg");
        assertThat(message.media().url()).isEqualTo("http://waha.example.com:3000/api/files/default/3EB06F2A1C4D5E6F7A8B.jpeg");
        assertThat(message.media().caption()).isEqualTo("Foto da fachada");
        assertThat(message.text()).isEqualTo("Foto da fachada");
    }

    @Test
    void message_ack_read_is_a_read_receipt_for_the_bare_id() {
        StatusUpdate status = only(parse(adapter, "message-ack-read.json"), StatusUpdate.class);
        assertThat(status).isEqualTo(new StatusUpdate("3EB0A9B8C7D6E5F40312", "5511987654321", MessageStatus.READ, null,
                Instant.parse("2026-03-02T14:07:35Z")));
    }

    @Test
    void session_statuses_map_to_connected_qr_and_disconnected() {
        assertThat(only(parse(adapter, "session-status-working.json"), SessionUpdate.class))
                .isEqualTo(new SessionUpdate(SessionState.CONNECTED, null, Instant.parse("2026-03-02T14:01:40Z")));
        assertThat(only(parse(adapter, "session-status-scan-qr-code.json"), SessionUpdate.class).state()).isEqualTo(SessionState.QR);
        SessionUpdate failed = only(parse(adapter, "session-status-failed.json"), SessionUpdate.class);
        assertThat(failed.state()).isEqualTo(SessionState.DISCONNECTED);
        assertThat(failed.reason()).isEqualTo("FAILED");
    }

    @Test
    void other_events_are_ignored() {
        ParsedWebhook parsed = parse(adapter, "presence-update.json");
        assertThat(parsed.isIgnored()).isTrue();
        assertThat(parsed.eventName()).isEqualTo("presence.update");
    }

    @Test
    void an_error_ack_is_a_failed_receipt() {
        StatusUpdate status = only(adapter.parse(Fixtures.request(), Json.parse(
                "{\"event\":\"message.ack\",\"payload\":{\"id\":\"true_5511987654321@c.us_ABC\",\"fromMe\":true,"
                        + "\"to\":\"5511987654321@c.us\",\"ack\":-1}}")), StatusUpdate.class);
        assertThat(status.status()).isEqualTo(MessageStatus.FAILED);
        assertThat(status.reason()).isEqualTo("ERROR");
        assertThat(status.timestamp()).isEqualTo(Fixtures.RECEIVED_AT);
    }

    @Test
    void ids_that_are_not_serialized_are_kept_whole() {
        assertThat(WahaAdapter.bareId("3EB0ABC")).isEqualTo("3EB0ABC");
        assertThat(WahaAdapter.bareId("true_5511987654321@c.us_3EB0ABC")).isEqualTo("3EB0ABC");
        assertThat(WahaAdapter.bareId("false_120363041234567890@g.us_3EB0ABC_5511976543210@c.us")).isEqualTo("3EB0ABC");
    }

    @Test
    void a_message_without_id_or_payload_is_malformed() {
        assertThatThrownBy(() -> adapter.parse(Fixtures.request(), Json.parse("{\"event\":\"message\",\"payload\":{\"from\":\"1@c.us\"}}")))
                .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("payload.id");
        assertThatThrownBy(() -> adapter.parse(Fixtures.request(), Json.parse("{\"event\":\"message\"}")))
                .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("payload");
    }
}
