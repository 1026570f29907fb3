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

    /**
     * NOWEB sends the business's own messages without {@code to} (waha #127, #1005): {@code from} is always the chat
     * ({@code getFromToParticipant}), {@code _data} the Baileys WAMessage. Never a 400, which WAHA retries 15 times.
     */
    @Test
    void a_noweb_message_from_me_without_to_is_filed_under_its_chat() {
        InboundMessage withKey = only(adapter.parse(Fixtures.request(), Json.parse("""
                {"event":"message.any","session":"default","engine":"NOWEB","payload":{
                 "id":"true_5511987654321@c.us_3EB0A9B8C7D6E5F40313","timestamp":1772460000,"from":"5511987654321@c.us",
                 "fromMe":true,"body":"Temos sim!","_data":{"key":{"remoteJid":"204936527069362@lid",
                 "remoteJidAlt":"5511987654321@s.whatsapp.net","fromMe":true,"id":"3EB0A9B8C7D6E5F40313"}}}}""")),
                InboundMessage.class);
        assertThat(withKey.direction()).isEqualTo(Direction.AGENT);
        assertThat(withKey.conversationId()).isEqualTo("5511987654321");
        assertThat(withKey.messageId()).isEqualTo("3EB0A9B8C7D6E5F40313");

        InboundMessage bare = only(adapter.parse(Fixtures.request(), Json.parse("""
                {"event":"message.any","session":"default","engine":"NOWEB","payload":{
                 "id":"true_5511987654321@c.us_3EB0A9B8C7D6E5F40314","timestamp":1772460000,"from":"5511987654321@c.us",
                 "fromMe":true,"body":"Temos sim!"}}""")), InboundMessage.class);
        assertThat(bare.direction()).isEqualTo(Direction.AGENT);
        assertThat(bare.conversationId()).isEqualTo("5511987654321");
    }

    /** waha #1005: NOWEB sends the account's own group message as {@code fromMe: false} with its own LID as participant. */
    @Test
    void a_group_message_whose_participant_is_the_session_itself_is_the_business_own() {
        String payload = """
                "payload":{"id":"false_120363419669512474@g.us_55D26CACC264D9153D88C0C89F06C480_153219082764294@lid",
                 "timestamp":1748482829,"from":"120363419669512474@g.us","fromMe":false,"source":"app","body":"ok",
                 "to":"120363419669512474@g.us","participant":"153219082764294@lid"}}""";
        InboundMessage own = only(adapter.parse(Fixtures.request(), Json.parse("""
                {"event":"message.any","session":"default","engine":"NOWEB",
                 "me":{"id":"5511912345678@c.us","pushName":"Loja","lid":"153219082764294@lid"},""" + payload)),
                InboundMessage.class);
        assertThat(own.direction()).isEqualTo(Direction.AGENT);
        assertThat(own.conversationId()).isEqualTo("group:120363419669512474");

        InboundMessage other = only(adapter.parse(Fixtures.request(), Json.parse("""
                {"event":"message.any","session":"default","engine":"NOWEB",
                 "me":{"id":"5511912345678@c.us","pushName":"Loja","lid":"999999999999999@lid"},""" + payload)),
                InboundMessage.class);
        assertThat(other.direction()).isEqualTo(Direction.LEAD);
    }

    @Test
    void without_from_me_the_id_prefix_gives_the_direction() {
        InboundMessage lead = only(adapter.parse(Fixtures.request(), Json.parse("""
                {"event":"message","session":"default","payload":{
                 "id":"false_5511987654321@c.us_AAAA","timestamp":1772460000,"from":"5511987654321@c.us","body":"Oi"}}""")),
                InboundMessage.class);
        assertThat(lead.direction()).isEqualTo(Direction.LEAD);
        InboundMessage agent = only(adapter.parse(Fixtures.request(), Json.parse("""
                {"event":"message","session":"default","payload":{
                 "id":"true_5511987654321@c.us_BBBB","timestamp":1772460000,"from":"5511987654321@c.us","body":"Olá"}}""")),
                InboundMessage.class);
        assertThat(agent.direction()).isEqualTo(Direction.AGENT);
        assertThat(agent.conversationId()).isEqualTo("5511987654321");
        InboundMessage explicit = only(adapter.parse(Fixtures.request(), Json.parse("""
                {"event":"message","session":"default","payload":{"fromMe":false,
                 "id":"true_5511987654321@c.us_CCCC","timestamp":1772460000,"from":"5511987654321@c.us","body":"Olá"}}""")),
                InboundMessage.class);
        assertThat(explicit.direction()).as("fromMe wins over the id").isEqualTo(Direction.LEAD);
    }

    @Test
    void a_message_from_me_with_no_chat_at_all_is_refused() {
        assertThatThrownBy(() -> adapter.parse(Fixtures.request(), Json.parse("""
                {"event":"message.any","session":"default","payload":{"id":"ABCD","fromMe":true,"body":"x"}}""")))
                .isInstanceOf(MalformedWebhookException.class);
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
