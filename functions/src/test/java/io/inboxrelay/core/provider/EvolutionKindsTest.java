package io.inboxrelay.core.provider;

import static io.inboxrelay.core.provider.Fixtures.only;
import static io.inboxrelay.core.provider.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.core.Direction;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.MessageChange;
import io.inboxrelay.core.MessageChange.ChangeType;
import io.inboxrelay.core.MessageDetails.ContactCard;
import io.inboxrelay.core.MessageDetails.Interactive;
import io.inboxrelay.core.MessageDetails.Location;
import io.inboxrelay.core.MessageDetails.Quoted;
import io.inboxrelay.core.MessageKind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every message kind Baileys sends through Evolution API (docs/MESSAGE-KINDS.md). */
class EvolutionKindsTest {

    private final EvolutionAdapter adapter = new EvolutionAdapter();

    private InboundMessage message(String fixture) {
        return only(parse(adapter, fixture), InboundMessage.class);
    }

    private MessageChange change(String fixture) {
        return only(parse(adapter, fixture), MessageChange.class);
    }

    @Test
    void a_location_keeps_its_coordinates_name_and_address_and_reads_as_its_name() {
        InboundMessage message = message("kinds-location.json");
        assertThat(message.kind()).isEqualTo(MessageKind.LOCATION);
        assertThat(message.details().location()).isEqualTo(new Location(-23.5505199, -46.6333094, "Praça da Sé",
                "Praça da Sé, Sé, São Paulo - SP, 01001-000", "https://maps.google.com/?q=-23.5505199,-46.6333094", false));
        assertThat(message.text()).isEqualTo("Praça da Sé, Praça da Sé, Sé, São Paulo - SP, 01001-000");
        assertThat(message.media()).isNull();
    }

    @Test
    void a_live_location_is_a_location_flagged_live_with_its_caption() {
        InboundMessage message = message("kinds-live-location.json");
        assertThat(message.kind()).isEqualTo(MessageKind.LOCATION);
        assertThat(message.details().location().live()).isTrue();
        assertThat(message.details().location().latitude()).isEqualTo(-23.561414);
        assertThat(message.text()).isEqualTo("Estou chegando");
    }

    @Test
    void a_contact_card_gives_the_name_and_the_whatsapp_number_of_its_vcard() {
        InboundMessage message = message("kinds-contact-vcard.json");
        assertThat(message.kind()).isEqualTo(MessageKind.CONTACTS);
        assertThat(message.details().contacts()).containsExactly(new ContactCard("Carlos Lima", List.of("+5511976543210"), false));
        assertThat(message.text()).isEqualTo("Carlos Lima");
    }

    @Test
    void several_contact_cards_each_keep_their_name_and_numbers() {
        InboundMessage message = message("kinds-contacts-array.json");
        assertThat(message.details().contacts()).containsExactly(
                new ContactCard("Carlos Lima", List.of("+5511976543210"), false),
                new ContactCard("Imobiliária Centro", List.of("+55 11 3333-4444"), false));
        assertThat(message.content()).isEqualTo("Carlos Lima, Imobiliária Centro");
    }

    @Test
    void a_button_reply_carries_the_chosen_id_and_text_and_the_message_it_answers() {
        InboundMessage message = message("kinds-buttons-response.json");
        assertThat(message.kind()).isEqualTo(MessageKind.INTERACTIVE_REPLY);
        assertThat(message.details().interactive()).isEqualTo(new Interactive("button", "agendar_visita", "Agendar visita"));
        assertThat(message.text()).isEqualTo("Agendar visita");
        assertThat(message.details().quoted().id()).isEqualTo("BAE5F3C2A1B0D9E8");
    }

    @Test
    void a_list_reply_and_a_template_button_reply_carry_their_row_and_button() {
        assertThat(message("kinds-list-response.json").details().interactive())
                .isEqualTo(new Interactive("list", "apto_2q", "Apartamento 2 quartos"));
        assertThat(message("kinds-template-button-reply.json").details().interactive())
                .isEqualTo(new Interactive("template", "confirmar", "Confirmar"));
    }

    @Test
    void a_reaction_is_a_change_of_the_message_it_reacts_to_not_a_new_message() {
        MessageChange reaction = change("kinds-reaction.json");
        assertThat(reaction.type()).isEqualTo(ChangeType.REACTION);
        assertThat(reaction.changeId()).isEqualTo("3EB0D1E2F3A4B5C6D7E8");
        assertThat(reaction.targetMessageId()).isEqualTo("BAE5F3C2A1B0D9E8");
        assertThat(reaction.emoji()).isEqualTo("👍");
        assertThat(reaction.actor()).isEqualTo(Direction.LEAD);
        assertThat(reaction.conversationId()).isEqualTo("5511987654321");
    }

    @Test
    void an_empty_reaction_removes_the_earlier_one() {
        MessageChange removal = change("kinds-reaction-removed.json");
        assertThat(removal.type()).isEqualTo(ChangeType.REACTION);
        assertThat(removal.emoji()).isNull();
        assertThat(removal.changeId()).isEqualTo("3EB0D1E2F3A4B5C6D7E9");
    }

    @Test
    void a_revoke_protocol_message_deletes_its_target() {
        MessageChange delete = change("kinds-protocol-revoke.json");
        assertThat(delete.type()).isEqualTo(ChangeType.DELETE);
        assertThat(delete.targetMessageId()).isEqualTo("3EB0C767D097B7C7C030");
        assertThat(delete.changeId()).isEqualTo("delete:3EB0C767D097B7C7C030");
    }

    @Test
    void messages_delete_is_the_same_deletion_as_the_revoke() {
        assertThat(change("kinds-messages-delete.json").changeId()).isEqualTo("delete:3EB0C767D097B7C7C030");
    }

    /**
     * Evolution 2.3.0-2.3.4 sends every Baileys update without a status as {@code status: "DELETED"}
     * ({@code status[update.status] ?? 'DELETED'}): an edit (issue #2010, {@code real-issue2010-update-deleted.json}), a
     * poll vote. A revocation never comes this way (Evolution sends {@code messages.delete} for it and skips the update),
     * so a bare DELETED changes nothing: marking the message deleted would hide an edited message from the agent.
     */
    @Test
    void a_bare_deleted_status_is_not_a_deletion() {
        ParsedWebhook parsed = parse(adapter, "kinds-messages-update-deleted.json");
        assertThat(parsed.events()).isEmpty();
        assertThat(parsed.isIgnored()).isTrue();
    }

    @Test
    void a_deleted_status_carrying_the_edited_message_is_that_edit() {
        String body = """
                {"event":"messages.update","instance":"acme","data":{"keyId":"3EB0C767D097B7C7C030",
                 "remoteJid":"5511987654321@s.whatsapp.net","fromMe":false,"status":"DELETED",
                 "message":{"editedMessage":{"message":{"protocolMessage":{"key":{"remoteJid":"5511987654321@s.whatsapp.net",
                 "fromMe":false,"id":"3EB0C767D097B7C7C030"},"type":"MESSAGE_EDIT",
                 "editedMessage":{"conversation":"Olá, ainda tem o apartamento de 2 quartos disponível?"},
                 "timestampMs":"1772460650000"}}}}}}""";
        MessageChange edit = only(adapter.parse(Fixtures.request(), Json.parse(body)), MessageChange.class);
        assertThat(edit.type()).isEqualTo(ChangeType.EDIT);
        assertThat(edit.targetMessageId()).isEqualTo("3EB0C767D097B7C7C030");
        assertThat(edit.conversationId()).isEqualTo("5511987654321");
        assertThat(edit.changeId()).isEqualTo(change("kinds-messages-edited.json").changeId());

        String plain = """
                {"event":"messages.update","instance":"acme","data":{"keyId":"3EB0C767D097B7C7C030",
                 "remoteJid":"5511987654321@s.whatsapp.net","fromMe":false,"status":"DELETED",
                 "message":{"editedMessage":{"message":{"conversation":"Olá, ainda tem o apartamento de 2 quartos disponível?"}}}}}""";
        MessageChange fromContent = only(adapter.parse(Fixtures.request(), Json.parse(plain)), MessageChange.class);
        assertThat(fromContent.type()).isEqualTo(ChangeType.EDIT);
        assertThat(fromContent.changeId()).isEqualTo(edit.changeId());
    }

    /** Baileys 7 delivers a contact's edit as {@code secretEncryptedMessage} (Baileys #2719): not a new bubble. */
    @Test
    void an_encrypted_edit_is_not_an_unsupported_bubble() {
        String body = """
                {"event":"messages.upsert","instance":"acme","data":{"key":{"remoteJid":"5511987654321@s.whatsapp.net",
                 "fromMe":false,"id":"3EB0AAAABBBBCCCCDDDD"},"pushName":"Maria","messageType":"secretEncryptedMessage",
                 "messageTimestamp":1772460650,"message":{"secretEncryptedMessage":{"targetMessageKey":{
                 "remoteJid":"5511987654321@s.whatsapp.net","fromMe":false,"id":"3EB0C767D097B7C7C030"},
                 "encPayload":"q83vEjRWeJA=","encIv":"AAECAwQFBgcICQoL","secretEncType":"MESSAGE_EDIT"},
                 "messageContextInfo":{"messageSecret":"AAAA"}}}}""";
        assertThat(adapter.parse(Fixtures.request(), Json.parse(body)).events()).isEmpty();
    }

    @Test
    void a_deleted_status_with_poll_updates_is_a_vote() {
        String body = """
                {"event":"messages.update","data":{"keyId":"3EB0C767D097B7C7C030","remoteJid":"5511987654321@s.whatsapp.net",
                 "fromMe":true,"status":"DELETED","pollUpdates":[{"name":"Sim","voters":["5511987654321@s.whatsapp.net"]}]}}""";
        assertThat(adapter.parse(Fixtures.request(), Json.parse(body)).events()).isEmpty();
    }

    @Test
    void an_edit_upserted_and_the_same_edit_in_messages_edited_are_one_change_with_the_new_text() {
        MessageChange upserted = change("kinds-edited-message-upsert.json");
        MessageChange edited = change("kinds-messages-edited.json");
        assertThat(upserted.type()).isEqualTo(ChangeType.EDIT);
        assertThat(upserted.newText()).isEqualTo("Olá, ainda tem o apartamento de 2 quartos disponível?");
        assertThat(upserted.targetMessageId()).isEqualTo("3EB0C767D097B7C7C030");
        assertThat(upserted.timestamp()).isEqualTo(Instant.ofEpochMilli(1772460650000L));
        assertThat(edited.changeId()).isEqualTo(upserted.changeId());
        assertThat(edited.newText()).isEqualTo(upserted.newText());
    }

    @Test
    void a_push_to_talk_audio_is_a_voice_message() {
        InboundMessage message = message("kinds-voice-note.json");
        assertThat(message.kind()).isEqualTo(MessageKind.VOICE);
        assertThat(message.media().type()).isEqualTo("audio");
        assertThat(message.media().voice()).isTrue();
        assertThat(message.content()).isEqualTo("🎤 Voice message");
    }

    @Test
    void a_reply_names_the_quoted_message_with_a_preview_and_the_forwarded_flag() {
        InboundMessage message = message("kinds-quoted-forwarded.json");
        assertThat(message.text()).isEqualTo("Pode ser às 15h?");
        assertThat(message.details().quoted())
                .isEqualTo(new Quoted("BAE5F3C2A1B0D9E8", "Sim, está disponível. Quer agendar uma visita?"));
        assertThat(message.details().forwarded()).isTrue();
    }

    @Test
    void an_image_inside_ephemeral_and_view_once_wrappers_is_read() {
        InboundMessage message = message("kinds-view-once-image.json");
        assertThat(message.kind()).isEqualTo(MessageKind.IMAGE);
        assertThat(message.text()).isEqualTo("Planta do apartamento");
    }

    @Test
    void a_poll_this_relay_does_not_model_is_shown_as_unsupported_never_dropped() {
        InboundMessage message = message("kinds-poll-unsupported.json");
        assertThat(message.kind()).isEqualTo(MessageKind.UNSUPPORTED);
        assertThat(message.content()).isEqualTo("⚠️ Unsupported message");
    }
}
