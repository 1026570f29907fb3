package io.inboxrelay.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.core.Direction;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.Media;
import io.inboxrelay.core.MessageKind;
import io.inboxrelay.core.MessageStatus;
import io.inboxrelay.core.Party;
import io.inboxrelay.core.event.Envelopes.ConversationState;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ConversationMathTest {

    private static final Party LEAD = new Party("5511987654321", "+5511987654321", "5511987654321@s.whatsapp.net", "Maria");

    @Test
    void a_first_incoming_message_opens_the_conversation_with_one_unread() {
        // What the preview update returns as ALL_OLD after the transaction created the item with ADD.
        Map<String, AttributeValue> created = Map.of("version", AttributeValue.fromN("1"), "unreadCount", AttributeValue.fromN("1"));
        ConversationState state = ConversationMath.after(created, message("A", Direction.LEAD, 1_000, "hi"), true);
        assertThat(state.unreadCount()).isEqualTo(1);
        assertThat(state.version()).isEqualTo(1);
        assertThat(state.name()).isEqualTo("Maria");
        assertThat(state.lastMessageId()).isEqualTo("A");
        assertThat(state.lastMessageSender()).isEqualTo("lead");
    }

    @Test
    void an_outgoing_message_moves_the_preview_but_not_the_unread_count_nor_the_name() {
        Map<String, AttributeValue> current = Map.of(
                "version", AttributeValue.fromN("4"), "unreadCount", AttributeValue.fromN("2"),
                "name", AttributeValue.fromS("Maria"), "lastMessageAt", AttributeValue.fromN("1000"),
                "lastMessageId", AttributeValue.fromS("A"));
        Party agentView = new Party(LEAD.contactId(), LEAD.phone(), LEAD.originalId(), "Acme Sales");
        InboundMessage reply = new InboundMessage("B", "B", Direction.AGENT, LEAD.contactId(), false, agentView, "hello",
                null, Instant.ofEpochMilli(2_000), MessageStatus.SENT);
        ConversationState state = ConversationMath.after(current, reply, true);
        assertThat(state.unreadCount()).isEqualTo(2);
        assertThat(state.version()).isEqualTo(4);
        assertThat(state.name()).isEqualTo("Maria");
        assertThat(state.lastMessageId()).isEqualTo("B");
    }

    @Test
    void a_late_older_message_counts_as_unread_but_keeps_the_newer_preview() {
        Map<String, AttributeValue> current = Map.of(
                "version", AttributeValue.fromN("2"), "unreadCount", AttributeValue.fromN("2"),
                "lastMessageAt", AttributeValue.fromN("5000"), "lastMessageId", AttributeValue.fromS("NEW"),
                "lastMessageText", AttributeValue.fromS("newest"), "lastMessageSender", AttributeValue.fromS("lead"));
        // The preview update's condition failed (a newer message is shown): nothing of this message is applied to the preview.
        ConversationState state = ConversationMath.after(current, message("OLD", Direction.LEAD, 1_000, "older"), false);
        assertThat(state.unreadCount()).isEqualTo(2);
        assertThat(state.lastMessageId()).isEqualTo("NEW");
        assertThat(state.lastMessageText()).isEqualTo("newest");
        assertThat(state.lastMessageAt()).isEqualTo(Instant.ofEpochMilli(5_000));
    }

    @Test
    void a_media_message_without_caption_previews_its_label_and_long_text_is_cut() {
        InboundMessage image = new InboundMessage("M", "M", Direction.LEAD, LEAD.contactId(), false, LEAD, null,
                new Media("image", "image/jpeg", null, null, null, null, null), Instant.ofEpochMilli(1), MessageStatus.DELIVERED);
        assertThat(ConversationMath.after(null, image, true).lastMessageText()).isEqualTo("📷 Photo");
        String longText = "x".repeat(1_000);
        assertThat(ConversationMath.after(null, message("L", Direction.LEAD, 1, longText), true).lastMessageText())
                .hasSize(ConversationMath.PREVIEW_CHARS);
    }

    @Test
    void cutting_a_preview_never_splits_an_emoji() {
        String text = "a".repeat(ConversationMath.PREVIEW_CHARS - 1) + "\uD83D\uDE00" + "tail";
        String preview = ConversationMath.after(null, message("E", Direction.LEAD, 1, text), true).lastMessageText();
        assertThat(preview).endsWith("a");
        assertThat(Character.isHighSurrogate(preview.charAt(preview.length() - 1))).isFalse();
    }

    @Test
    void the_agent_push_name_and_group_members_never_become_the_conversation_name() {
        Party agentView = new Party(LEAD.contactId(), LEAD.phone(), LEAD.originalId(), "Acme Sales");
        InboundMessage reply = new InboundMessage("R", "R", Direction.AGENT, LEAD.contactId(), false, agentView, "hi",
                null, Instant.ofEpochMilli(1), MessageStatus.SENT);
        assertThat(ConversationMath.leadName(reply)).isNull();
        assertThat(ConversationMath.unreadIncrement(reply)).isZero();
        InboundMessage inGroup = new InboundMessage("G", "G", Direction.LEAD, "group:1", true, LEAD, "hi",
                null, Instant.ofEpochMilli(1), MessageStatus.DELIVERED);
        assertThat(ConversationMath.leadName(inGroup)).isNull();
        assertThat(ConversationMath.contactId(inGroup)).isEqualTo("group:1");
    }

    private static InboundMessage message(String id, Direction direction, long at, String text) {
        return new InboundMessage(id, id, direction, LEAD.contactId(), false, LEAD, text, null, Instant.ofEpochMilli(at),
                MessageStatus.DELIVERED);
    }

    @Test
    void a_location_or_contact_previews_as_its_label_and_name_and_a_voice_note_as_its_label() {
        InboundMessage location = new InboundMessage("P", "P", Direction.LEAD, LEAD.contactId(), false, LEAD, "Praça da Sé", null,
                Instant.ofEpochMilli(1), MessageStatus.DELIVERED, MessageKind.LOCATION, null);
        InboundMessage contact = new InboundMessage("C", "C", Direction.LEAD, LEAD.contactId(), false, LEAD, "Carlos Lima", null,
                Instant.ofEpochMilli(1), MessageStatus.DELIVERED, MessageKind.CONTACTS, null);
        InboundMessage voice = new InboundMessage("V", "V", Direction.LEAD, LEAD.contactId(), false, LEAD, null,
                Media.placeholder("audio", null, null, true), Instant.ofEpochMilli(1), MessageStatus.DELIVERED);
        assertThat(ConversationMath.preview(location)).isEqualTo("📍 Location: Praça da Sé");
        assertThat(ConversationMath.preview(contact)).isEqualTo("👤 Contact: Carlos Lima");
        assertThat(ConversationMath.preview(voice)).isEqualTo("🎤 Voice message");
    }
}
