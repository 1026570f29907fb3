package io.inboxrelay.core.provider;

import static io.inboxrelay.core.provider.Fixtures.only;
import static io.inboxrelay.core.provider.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.core.Direction;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.MessageChange;
import io.inboxrelay.core.MessageChange.ChangeType;
import io.inboxrelay.core.MessageDetails.ContactCard;
import io.inboxrelay.core.MessageDetails.Quoted;
import io.inboxrelay.core.MessageKind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** WAHA's locations, vCards, pending media, voice notes, replies, reactions, revocations and edits. */
class WahaKindsTest {

    private final WahaAdapter adapter = new WahaAdapter();

    private InboundMessage message(String fixture) {
        return only(parse(adapter, fixture), InboundMessage.class);
    }

    private MessageChange change(String fixture) {
        return only(parse(adapter, fixture), MessageChange.class);
    }

    @Test
    void a_location_reads_its_string_coordinates_and_description_never_the_thumbnail_body() {
        InboundMessage message = message("kinds-location.json");
        assertThat(message.kind()).isEqualTo(MessageKind.LOCATION);
        assertThat(message.details().location().latitude()).isEqualTo(-23.5505199);
        assertThat(message.details().location().longitude()).isEqualTo(-46.6333094);
        assertThat(message.details().location().name()).isEqualTo("Praça da Sé\nSão Paulo - SP");
        assertThat(message.text()).isEqualTo("Praça da Sé\nSão Paulo - SP");
    }

    @Test
    void a_vcard_gives_a_contact_with_its_name_and_number_not_the_card_as_text() {
        InboundMessage message = message("kinds-vcard.json");
        assertThat(message.kind()).isEqualTo(MessageKind.CONTACTS);
        assertThat(message.details().contacts()).containsExactly(new ContactCard("Carlos Lima", List.of("+5511976543210"), false));
        assertThat(message.text()).isEqualTo("Carlos Lima");
    }

    @Test
    void media_announced_without_a_link_yet_is_a_placeholder_message_not_silence() {
        InboundMessage message = message("kinds-media-pending.json");
        assertThat(message.kind()).isEqualTo(MessageKind.IMAGE);
        assertThat(message.media().available()).isFalse();
        assertThat(message.media().url()).isNull();
        assertThat(message.content()).isEqualTo("📷 Photo");
    }

    @Test
    void a_ptt_is_a_voice_message_with_its_link() {
        InboundMessage message = message("kinds-voice-ptt.json");
        assertThat(message.kind()).isEqualTo(MessageKind.VOICE);
        assertThat(message.media().voice()).isTrue();
        assertThat(message.media().available()).isTrue();
        assertThat(message.media().url()).endsWith(".oga");
    }

    @Test
    void reply_to_names_the_quoted_message_and_its_text() {
        InboundMessage message = message("kinds-reply-to.json");
        assertThat(message.details().quoted())
                .isEqualTo(new Quoted("BAE5F3C2A1B0D9E8", "Sim, está disponível. Quer agendar uma visita?"));
        assertThat(message.details().forwarded()).isFalse();
    }

    @Test
    void a_reaction_targets_the_bare_id_of_the_serialised_message_id() {
        MessageChange reaction = change("kinds-reaction.json");
        assertThat(reaction.type()).isEqualTo(ChangeType.REACTION);
        assertThat(reaction.targetMessageId()).isEqualTo("BAE5F3C2A1B0D9E8");
        assertThat(reaction.changeId()).isEqualTo("3EB0AA11BB22CC33DD49");
        assertThat(reaction.emoji()).isEqualTo("❤️");
        assertThat(reaction.actor()).isEqualTo(Direction.LEAD);
        assertThat(reaction.conversationId()).isEqualTo("5511987654321");
        assertThat(reaction.timestamp()).isEqualTo(Instant.ofEpochSecond(1772460725));
    }

    @Test
    void a_revocation_deletes_the_revoked_message_id() {
        MessageChange delete = change("kinds-revoked.json");
        assertThat(delete.type()).isEqualTo(ChangeType.DELETE);
        assertThat(delete.targetMessageId()).isEqualTo("3EB06F2A1C4D5E6F7A8B");
        assertThat(delete.conversationId()).isEqualTo("5511987654321");
    }

    @Test
    void an_edit_carries_the_new_body_for_the_edited_message_id() {
        MessageChange edit = change("kinds-edited.json");
        assertThat(edit.type()).isEqualTo(ChangeType.EDIT);
        assertThat(edit.targetMessageId()).isEqualTo("3EB06F2A1C4D5E6F7A8B");
        assertThat(edit.newText()).isEqualTo("Foto da fachada (lado norte)");
    }
}
