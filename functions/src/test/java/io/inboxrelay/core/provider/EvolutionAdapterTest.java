package io.inboxrelay.core.provider;

import static io.inboxrelay.core.provider.Fixtures.only;
import static io.inboxrelay.core.provider.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EvolutionAdapterTest {

    private final EvolutionAdapter adapter = new EvolutionAdapter();

    @Test
    void a_text_message_from_a_lead_becomes_an_incoming_message() {
        ParsedWebhook parsed = parse(adapter, "messages-upsert-text.json");
        InboundMessage message = only(parsed, InboundMessage.class);
        assertThat(parsed.eventName()).isEqualTo("messages.upsert");
        assertThat(message.messageId()).isEqualTo("3EB0C767D097B7C7C030");
        assertThat(message.providerMessageId()).isEqualTo("3EB0C767D097B7C7C030");
        assertThat(message.direction()).isEqualTo(Direction.LEAD);
        assertThat(message.conversationId()).isEqualTo("5511987654321");
        assertThat(message.group()).isFalse();
        assertThat(message.contact()).isEqualTo(new Party("5511987654321", "+5511987654321", "5511987654321@s.whatsapp.net", "Maria Souza"));
        assertThat(message.text()).isEqualTo("Olá, ainda tem o apartamento disponível?");
        assertThat(message.media()).isNull();
        assertThat(message.timestamp()).isEqualTo(Instant.parse("2026-03-02T14:05:11Z"));
        assertThat(message.status()).isEqualTo(MessageStatus.DELIVERED);
    }

    @Test
    void extended_text_is_read_and_a_mexican_521_id_folds_to_e164() {
        InboundMessage message = only(parse(adapter, "messages-upsert-extended-text.json"), InboundMessage.class);
        assertThat(message.text()).isEqualTo("Mira este enlace https://example.com/casa");
        assertThat(message.contact().contactId()).isEqualTo("525512345678");
        assertThat(message.contact().phone()).isEqualTo("+525512345678");
        assertThat(message.contact().originalId()).isEqualTo("5215512345678@s.whatsapp.net");
        assertThat(message.contact().name()).isEqualTo("José Hernández");
    }

    @Test
    void an_image_keeps_its_metadata_and_caption_and_drops_the_inline_base64() {
        InboundMessage message = only(parse(adapter, "messages-upsert-image-base64.json"), InboundMessage.class);
        assertThat(message.text()).isEqualTo("Foto da fachada");
        Media media = message.media();
        assertThat(media.type()).isEqualTo("image");
        assertThat(media.mimeType()).isEqualTo("image/jpeg");
        assertThat(media.caption()).isEqualTo("Foto da fachada");
        assertThat(media.url()).startsWith("https://mmg.whatsapp.net/");
        assertThat(media.sizeBytes()).isEqualTo(184532L);
        assertThat(message.toString()).doesNotContain("/9j/4AAQSkZJRg");
    }

    @Test
    void a_group_message_belongs_to_the_group_and_its_contact_is_the_participant() {
        InboundMessage message = only(parse(adapter, "messages-upsert-group.json"), InboundMessage.class);
        assertThat(message.group()).isTrue();
        assertThat(message.conversationId()).isEqualTo("group:120363041234567890");
        assertThat(message.contact()).isEqualTo(new Party("5511976543210", "+5511976543210", "5511976543210@s.whatsapp.net", "Carlos Lima"));
        assertThat(message.direction()).isEqualTo(Direction.LEAD);
    }

    @Test
    void a_lid_chat_with_remote_jid_alt_is_the_same_conversation_as_the_phone_number() {
        InboundMessage message = only(parse(adapter, "messages-upsert-lid-alt.json"), InboundMessage.class);
        assertThat(message.conversationId()).isEqualTo("5511987654321");
        assertThat(message.contact().phone()).isEqualTo("+5511987654321");
        assertThat(message.contact().originalId()).isEqualTo("204936527069362@lid");
        assertThat(message.text()).isEqualTo("Pode me mandar o contrato?");
    }

    @Test
    void a_lid_chat_without_alt_is_an_opaque_contact_without_phone() {
        InboundMessage message = only(parse(adapter, "messages-upsert-lid-only.json"), InboundMessage.class);
        assertThat(message.conversationId()).isEqualTo("lid:185732946120481");
        assertThat(message.contact().phone()).isNull();
        assertThat(message.contact().name()).isEqualTo("Ana");
    }

    @Test
    void a_protobuf_long_timestamp_is_read_and_an_argentine_number_keeps_its_9() {
        InboundMessage message = only(parse(adapter, "messages-upsert-long-timestamp.json"), InboundMessage.class);
        assertThat(message.timestamp()).isEqualTo(Instant.parse("2026-03-02T14:05:11Z"));
        assertThat(message.contact().contactId()).isEqualTo("5491123456789");
    }

    @Test
    void status_broadcasts_are_ignored() {
        ParsedWebhook parsed = parse(adapter, "messages-upsert-status-broadcast.json");
        assertThat(parsed.isIgnored()).isTrue();
        assertThat(parsed.eventName()).isEqualTo("messages.upsert");
    }

    @Test
    void send_message_is_an_outgoing_message_without_the_business_push_name() {
        InboundMessage message = only(parse(adapter, "send-message.json"), InboundMessage.class);
        assertThat(message.direction()).isEqualTo(Direction.AGENT);
        assertThat(message.messageId()).isEqualTo("BAE5F3C2A1B0D9E8");
        assertThat(message.conversationId()).isEqualTo("5511987654321");
        assertThat(message.contact().name()).isNull();
        assertThat(message.status()).isEqualTo(MessageStatus.PENDING);
        assertThat(message.text()).isEqualTo("Sim, está disponível. Quer agendar uma visita?");
    }

    @Test
    void messages_update_read_is_a_read_receipt_for_the_whatsapp_key_id() {
        ParsedWebhook parsed = parse(adapter, "messages-update-read.json");
        StatusUpdate status = only(parsed, StatusUpdate.class);
        assertThat(status).isEqualTo(new StatusUpdate("BAE5F3C2A1B0D9E8", "5511987654321", MessageStatus.READ, null, Fixtures.RECEIVED_AT));
    }

    @Test
    void connection_open_and_close_are_session_states() {
        assertThat(only(parse(adapter, "connection-update-open.json"), SessionUpdate.class))
                .isEqualTo(new SessionUpdate(SessionState.CONNECTED, null, Fixtures.RECEIVED_AT));
        assertThat(only(parse(adapter, "connection-update-close.json"), SessionUpdate.class))
                .isEqualTo(new SessionUpdate(SessionState.DISCONNECTED, "401", Fixtures.RECEIVED_AT));
    }

    @Test
    void a_new_qr_code_puts_the_session_in_qr_state_without_keeping_the_code() {
        SessionUpdate update = only(parse(adapter, "qrcode-updated.json"), SessionUpdate.class);
        assertThat(update.state()).isEqualTo(SessionState.QR);
        assertThat(update.reason()).isNull();
    }

    @Test
    void other_events_are_ignored_with_their_name() {
        ParsedWebhook parsed = parse(adapter, "presence-update.json");
        assertThat(parsed.isIgnored()).isTrue();
        assertThat(parsed.eventName()).isEqualTo("presence.update");
    }

    @ParameterizedTest
    @ValueSource(strings = {"messages-upsert", "MESSAGES_UPSERT", "messages.upsert"})
    void the_event_comes_from_the_webhook_by_events_url_suffix_when_the_body_has_none(String suffix) {
        byte[] body = Fixtures.bytes("evolution", "by-events-suffix-messages-upsert.json");
        ParsedWebhook parsed = adapter.parse(Fixtures.request(suffix, Map.of(), body), Json.parse(new String(body, java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(parsed.eventName()).isEqualTo("messages.upsert");
        assertThat(only(parsed, InboundMessage.class).messageId()).isEqualTo("3EB0C767D097B7C7C030");
    }

    @Test
    void an_upper_case_event_field_is_folded() {
        JsonNode body = Json.parse("{\"event\":\"SEND_MESSAGE\",\"data\":{\"key\":{\"remoteJid\":\"5511987654321@s.whatsapp.net\",\"id\":\"X1\"},"
                + "\"message\":{\"conversation\":\"oi\"}}}");
        InboundMessage message = only(adapter.parse(Fixtures.request(), body), InboundMessage.class);
        assertThat(message.direction()).isEqualTo(Direction.AGENT);
        assertThat(message.timestamp()).isEqualTo(Fixtures.RECEIVED_AT);
    }

    @Test
    void a_body_without_an_event_or_suffix_is_malformed() {
        assertThatThrownBy(() -> adapter.parse(Fixtures.request(), Json.parse("{\"data\":{}}")))
                .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("event");
    }

    @Test
    void a_message_without_a_key_is_malformed() {
        assertThatThrownBy(() -> adapter.parse(Fixtures.request(), Json.parse("{\"event\":\"messages.upsert\",\"data\":{\"message\":{}}}")))
                .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("key");
    }

    @Test
    void baileys_numeric_statuses_map_to_canonical_statuses() {
        assertThat(BaileysMessages.status(Json.parse("0"))).isEqualTo(MessageStatus.FAILED);
        assertThat(BaileysMessages.status(Json.parse("1"))).isEqualTo(MessageStatus.PENDING);
        assertThat(BaileysMessages.status(Json.parse("2"))).isEqualTo(MessageStatus.SENT);
        assertThat(BaileysMessages.status(Json.parse("\"3\""))).isEqualTo(MessageStatus.DELIVERED);
        assertThat(BaileysMessages.status(Json.parse("4"))).isEqualTo(MessageStatus.READ);
        assertThat(BaileysMessages.status(Json.parse("\"PLAYED\""))).isEqualTo(MessageStatus.PLAYED);
        assertThat(BaileysMessages.status(Json.parse("\"SERVER_ACK\""))).isEqualTo(MessageStatus.SENT);
        assertThat(BaileysMessages.status(Json.parse("9"))).isNull();
    }
}
