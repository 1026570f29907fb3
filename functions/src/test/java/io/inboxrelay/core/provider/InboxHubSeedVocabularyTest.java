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
import io.inboxrelay.core.MessageChange;
import org.junit.jupiter.api.Test;

/**
 * The field names Inbox Hub and the Frappe seed built on it use, beside the documented format. The fixtures'
 * sources are listed in {@code events/gateways/SOURCES.md}.
 */
class InboxHubSeedVocabularyTest {

    private final InboxHubAdapter adapter = new InboxHubAdapter();

    @Test
    void the_seeds_data_message_with_whatsapp_message_id_content_and_chat_id_is_an_incoming_message() {
        InboundMessage message = only(parse(adapter, "seed-data-message-received.json"), InboundMessage.class);
        assertThat(message.messageId()).isEqualTo("3A1FAB304FEA0BE9EC18");
        assertThat(message.direction()).isEqualTo(Direction.LEAD);
        assertThat(message.conversationId()).isEqualTo("34657032985");
        assertThat(message.group()).isFalse();
        assertThat(message.contact()).isEqualTo(new Party("34657032985", "+34657032985", "34657032985@s.whatsapp.net", null));
        assertThat(message.text()).isEqualTo("Hola61");
        assertThat(message.timestamp()).isEqualTo(Instant.parse("2025-11-07T12:21:58Z"));
        assertThat(message.status()).isEqualTo(MessageStatus.DELIVERED);
    }

    @Test
    void the_integration_guides_message_received_with_an_id_object_and_body_is_an_incoming_message() {
        InboundMessage message = only(parse(adapter, "guide-message-received.json"), InboundMessage.class);
        assertThat(message.messageId()).isEqualTo("3EB0250462D167CE4A3F0D");
        assertThat(message.direction()).isEqualTo(Direction.LEAD);
        assertThat(message.conversationId()).isEqualTo("34612345678");
        assertThat(message.contact()).isEqualTo(new Party("34612345678", "+34612345678", "34612345678@c.us", null));
        assertThat(message.text()).isEqualTo("Hola, ¿cómo estás?");
        assertThat(message.timestamp()).isEqualTo(Instant.parse("2024-10-20T17:00:00Z"));
    }

    @Test
    void the_integration_guides_message_sent_is_outgoing_to_the_lead_in_to() {
        InboundMessage message = only(parse(adapter, "guide-message-sent.json"), InboundMessage.class);
        assertThat(message.messageId()).isEqualTo("3EB0250462D167CE4A3F0E");
        assertThat(message.direction()).isEqualTo(Direction.AGENT);
        assertThat(message.conversationId()).isEqualTo("34612345678");
        assertThat(message.contact().phone()).isEqualTo("+34612345678");
        assertThat(message.contact().name()).isNull();
        assertThat(message.text()).isEqualTo("Respuesta automática");
        assertThat(message.status()).isEqualTo(MessageStatus.SENT);
        assertThat(message.timestamp()).isEqualTo(Instant.parse("2024-10-20T17:00:10Z"));
    }

    @Test
    void message_ack_3_is_a_read_receipt_for_the_message_id() {
        assertThat(only(parse(adapter, "guide-message-ack-read.json"), StatusUpdate.class)).isEqualTo(
                new StatusUpdate("3EB0250462D167CE4A3F0D", null, MessageStatus.READ, null, Instant.parse("2024-10-20T17:00:50Z")));
    }

    @Test
    void message_ack_codes_follow_the_integration_guide_and_pending_is_ignored() {
        assertThat(ack(1).status()).isEqualTo(MessageStatus.SENT);
        assertThat(ack(2).status()).isEqualTo(MessageStatus.DELIVERED);
        assertThat(ack(4).status()).isEqualTo(MessageStatus.PLAYED);
        assertThat(ack(-1).status()).isEqualTo(MessageStatus.FAILED);
        assertThat(adapter.parse(Fixtures.request(), Json.parse(
                "{\"event\":\"message.ack\",\"data\":{\"messageId\":\"A1\",\"ack\":0}}")).isIgnored()).isTrue();
    }

    @Test
    void the_integration_guides_session_connected_is_a_session_state() {
        assertThat(only(parse(adapter, "guide-session-connected.json"), SessionUpdate.class))
                .isEqualTo(new SessionUpdate(SessionState.CONNECTED, null, Instant.parse("2025-10-14T06:30:00Z")));
    }

    @Test
    void flat_snake_case_fields_message_id_phone_number_from_me_push_name_and_content_are_read() {
        InboundMessage message = only(parse(adapter, "flat-snake-case-message-received.json"), InboundMessage.class);
        assertThat(message.messageId()).isEqualTo("3A5C0E7D2B9F41A6C8E1");
        assertThat(message.direction()).isEqualTo(Direction.LEAD);
        assertThat(message.conversationId()).isEqualTo("34612345678");
        assertThat(message.contact()).isEqualTo(new Party("34612345678", "+34612345678", "+34 612 34 56 78", "Lucía Fernández"));
        assertThat(message.text()).isEqualTo("Buenas tardes, ¿me podéis enviar el presupuesto?");
        assertThat(message.timestamp()).isEqualTo(Instant.parse("2025-11-07T12:40:00Z"));
    }

    @Test
    void snake_case_fields_under_payload_with_from_me_true_are_an_outgoing_message() {
        InboundMessage message = only(parse(adapter, "payload-snake-case-message-sent.json"), InboundMessage.class);
        assertThat(message.messageId()).isEqualTo("3EB0F1A2B3C4D5E6F708");
        assertThat(message.direction()).isEqualTo(Direction.AGENT);
        assertThat(message.conversationId()).isEqualTo("34612345678");
        assertThat(message.contact().phone()).isEqualTo("+34612345678");
        assertThat(message.text()).isEqualTo("Claro, se lo envío ahora mismo.");
        assertThat(message.status()).isEqualTo(MessageStatus.SENT);
        assertThat(message.timestamp()).isEqualTo(Instant.parse("2025-11-07T12:41:00Z"));
    }

    @Test
    void a_group_message_whose_from_is_the_group_has_its_author_as_the_contact() {
        InboundMessage message = only(parse(adapter, "data-group-author.json"), InboundMessage.class);
        assertThat(message.group()).isTrue();
        assertThat(message.conversationId()).isEqualTo("group:120363041234567890");
        assertThat(message.contact().contactId()).isEqualTo("34699887766");
        assertThat(message.contact().phone()).isEqualTo("+34699887766");
        assertThat(message.contact().name()).isEqualTo("Javier Ruiz");
        assertThat(message.text()).isEqualTo("¿A qué hora es la reunión?");
    }

    @Test
    void a_from_me_field_overrides_the_direction_the_event_name_implies() {
        InboundMessage message = only(adapter.parse(Fixtures.request(), Json.parse(
                "{\"event\":\"message.received\",\"data\":{\"message_id\":\"M1\",\"phone_number\":\"34612345678\","
                        + "\"from_me\":true,\"text\":\"sent from the phone\"}}")), InboundMessage.class);
        assertThat(message.direction()).isEqualTo(Direction.AGENT);
        assertThat(message.conversationId()).isEqualTo("34612345678");
    }

    @Test
    void a_baileys_wamessage_under_data_is_still_read_like_baileys() {
        InboundMessage message = only(adapter.parse(Fixtures.request(), Json.parse(
                "{\"event\":\"message.received\",\"data\":{\"key\":{\"remoteJid\":\"34612345678@s.whatsapp.net\","
                        + "\"fromMe\":false,\"id\":\"B1\"},\"pushName\":\"Ana\",\"message\":{\"conversation\":\"hola\"}}}")),
                InboundMessage.class);
        assertThat(message.messageId()).isEqualTo("B1");
        assertThat(message.contact().name()).isEqualTo("Ana");
        assertThat(message.text()).isEqualTo("hola");
    }

    @Test
    void receipts_read_message_id_under_data() {
        StatusUpdate read = only(adapter.parse(Fixtures.request(), Json.parse(
                "{\"event\":\"message.read\",\"data\":{\"message_id\":\"R1\",\"phone_number\":\"+34 612 34 56 78\"}}")),
                StatusUpdate.class);
        assertThat(read.messageId()).isEqualTo("R1");
        assertThat(read.conversationId()).isEqualTo("34612345678");
        assertThat(read.status()).isEqualTo(MessageStatus.READ);
    }

    @Test
    void a_flat_message_without_any_id_spelling_is_malformed_and_says_which_names_are_read() {
        assertThatThrownBy(() -> adapter.parse(Fixtures.request(), Json.parse(
                "{\"event\":\"message.received\",\"phone_number\":\"34612345678\",\"content\":\"x\"}")))
                .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("message_id");
    }

    @Test
    void the_seeds_reaction_without_an_id_of_its_own_becomes_a_reaction_to_the_keyed_message() {
        ParsedWebhook parsed = parse(adapter, "seed-data-reaction.json");
        assertThat(parsed.eventName()).isEqualTo("message.received");
        MessageChange reaction = only(parsed, MessageChange.class);
        assertThat(reaction.type()).isEqualTo(MessageChange.ChangeType.REACTION);
        assertThat(reaction.targetMessageId()).isEqualTo("3AA45481DBB4FC7B4CFC");
        assertThat(reaction.emoji()).isEqualTo("👍");
        assertThat(reaction.actor()).isEqualTo(Direction.LEAD);
        assertThat(reaction.conversationId()).isEqualTo("34657032985");
        assertThat(reaction.timestamp()).isEqualTo(Instant.ofEpochMilli(1762518864027L));
        assertThat(reaction.changeId()).isEqualTo("reaction:3AA45481DBB4FC7B4CFC:lead:1762518864027");
    }

    private StatusUpdate ack(int code) {
        return only(adapter.parse(Fixtures.request(), Json.parse(
                "{\"event\":\"message.ack\",\"data\":{\"messageId\":\"A1\",\"ack\":" + code + "}}")), StatusUpdate.class);
    }
}
