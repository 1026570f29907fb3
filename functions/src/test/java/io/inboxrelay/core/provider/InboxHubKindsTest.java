package io.inboxrelay.core.provider;

import static io.inboxrelay.core.provider.Fixtures.only;
import static io.inboxrelay.core.provider.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboxrelay.core.Direction;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.MessageChange;
import io.inboxrelay.core.MessageChange.ChangeType;
import io.inboxrelay.core.MessageDetails.ContactCard;
import io.inboxrelay.core.MessageDetails.Interactive;
import io.inboxrelay.core.MessageDetails.Quoted;
import io.inboxrelay.core.MessageKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generic format's kinds and changes, as docs/generic-webhook-format.md specifies them. */
class InboxHubKindsTest {

    private final InboxHubAdapter adapter = new InboxHubAdapter();

    private InboundMessage message(String fixture) {
        return only(parse(adapter, fixture), InboundMessage.class);
    }

    private MessageChange change(String fixture) {
        return only(parse(adapter, fixture), MessageChange.class);
    }

    @Test
    void a_location_object_makes_a_location_message() {
        InboundMessage message = message("kinds-location.json");
        assertThat(message.kind()).isEqualTo(MessageKind.LOCATION);
        assertThat(message.details().location().name()).isEqualTo("Praça da Sé");
        assertThat(message.text()).isEqualTo("Praça da Sé, Praça da Sé, São Paulo - SP");
    }

    @Test
    void contacts_are_read_from_names_and_phones_or_from_a_vcard() {
        InboundMessage message = message("kinds-contacts.json");
        assertThat(message.details().contacts()).containsExactly(
                new ContactCard("Carlos Lima", List.of("+55 11 97654-3210"), false),
                new ContactCard("Imobiliária Centro", List.of("+55 11 3333-4444"), false));
    }

    @Test
    void an_interactive_reply_with_a_quoted_message() {
        InboundMessage message = message("kinds-interactive-quoted.json");
        assertThat(message.kind()).isEqualTo(MessageKind.INTERACTIVE_REPLY);
        assertThat(message.details().interactive()).isEqualTo(new Interactive("button", "agendar_visita", "Agendar visita"));
        assertThat(message.details().quoted()).isEqualTo(new Quoted("BAE5F3C2A1B0D9E8", "Como podemos ajudar?"));
        assertThat(message.content()).isEqualTo("Agendar visita");
    }

    @Test
    void a_voice_note_without_a_url_yet_is_a_voice_placeholder() {
        InboundMessage message = message("kinds-voice-placeholder.json");
        assertThat(message.kind()).isEqualTo(MessageKind.VOICE);
        assertThat(message.media().available()).isFalse();
        assertThat(message.content()).isEqualTo("🎤 Voice message");
    }

    @Test
    void message_reaction_names_its_target_and_emoji() {
        MessageChange reaction = change("kinds-reaction.json");
        assertThat(reaction.type()).isEqualTo(ChangeType.REACTION);
        assertThat(reaction.changeId()).isEqualTo("3EB0REA0000000000001");
        assertThat(reaction.targetMessageId()).isEqualTo("BAE5F3C2A1B0D9E8");
        assertThat(reaction.emoji()).isEqualTo("🙏");
        assertThat(reaction.conversationId()).isEqualTo("5511987654321");
    }

    @Test
    void message_edited_and_message_deleted_change_the_message_named_by_id() {
        MessageChange edit = change("kinds-edited.json");
        assertThat(edit.type()).isEqualTo(ChangeType.EDIT);
        assertThat(edit.targetMessageId()).isEqualTo("3EB0C767D097B7C7C030");
        assertThat(edit.newText()).isEqualTo("Olá, ainda tem o apartamento de 2 quartos disponível?");
        MessageChange delete = change("kinds-deleted.json");
        assertThat(delete.type()).isEqualTo(ChangeType.DELETE);
        assertThat(delete.actor()).isEqualTo(Direction.AGENT);
        assertThat(delete.conversationId()).isEqualTo("5511987654321");
    }

    @Test
    void a_reaction_without_a_target_is_malformed() {
        assertThatThrownBy(() -> adapter.parse(Fixtures.request(), Json.parse(
                "{\"event\":\"message.reaction\",\"message\":{\"from\":\"5511987654321\",\"reaction\":{\"emoji\":\"👍\"}}}")))
                .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("reaction.messageId");
    }
}
