package io.inboxrelay.store;

import io.inboxrelay.core.Direction;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.event.Envelopes.ConversationState;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How a conversation looks after a message: pure, so it is tested on its own.
 *
 * <p>The counters ({@code unreadCount}, {@code version}) are moved by DynamoDB itself with
 * {@code ADD} inside the message's transaction; the preview is moved afterwards by a single
 * conditional update ("only if this message is at least as new"). This class turns the item that
 * update returned ({@code ALL_OLD}) into the state after it, without another read.
 */
final class ConversationMath {

    /** Preview length kept on the conversation; the full text lives on the message. */
    static final int PREVIEW_CHARS = 200;

    private ConversationMath() {
    }

    /** Unread moves only for what the lead wrote. */
    static long unreadIncrement(InboundMessage message) {
        return message.direction() == Direction.LEAD ? 1 : 0;
    }

    /** The lead's own name, when this message may set it (never the agent's push name, never a group member's). */
    static String leadName(InboundMessage message) {
        return !message.group() && message.direction() == Direction.LEAD ? message.contact().name() : null;
    }

    static String contactId(InboundMessage message) {
        return message.group() ? message.conversationId() : message.contact().contactId();
    }

    /**
     * The conversation after the preview update.
     *
     * @param before  the item as it was just before the preview update (its counters already count this message)
     * @param applied whether the preview update applied (false: a newer message is already shown)
     */
    static ConversationState after(Map<String, AttributeValue> before, InboundMessage message, boolean applied) {
        Map<String, AttributeValue> item = before == null ? Map.of() : before;
        String name = Attrs.string(item, ConversationItems.NAME);
        if (applied && leadName(message) != null) {
            name = leadName(message);
        }
        String phone = message.group() ? null : firstNonNull(message.contact().phone(), Attrs.string(item, ConversationItems.PHONE));
        Long lastAt = Attrs.number(item, ConversationItems.LAST_MESSAGE_AT);
        return new ConversationState(
                message.conversationId(),
                firstNonNull(Attrs.string(item, ConversationItems.CONTACT_ID), contactId(message)),
                name,
                phone,
                message.group(),
                Attrs.number(item, ConversationItems.UNREAD_COUNT, unreadIncrement(message)),
                Attrs.number(item, ConversationItems.VERSION, 1),
                applied ? message.messageId() : Attrs.string(item, ConversationItems.LAST_MESSAGE_ID),
                applied ? preview(message) : Attrs.string(item, ConversationItems.LAST_MESSAGE_TEXT),
                applied ? message.direction().wireName() : Attrs.string(item, ConversationItems.LAST_MESSAGE_SENDER),
                applied ? message.timestamp() : lastAt == null ? null : Instant.ofEpochMilli(lastAt));
    }

    /** The list's line: the text, a kind's label with its name ("📍 Location: Praça da Sé"), or the label ("🎤 Voice message"). */
    static String preview(InboundMessage message) {
        String text = message.kind().preview(message.text());
        if (text.length() <= PREVIEW_CHARS) {
            return text;
        }
        int end = PREVIEW_CHARS;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never leave half an emoji at the end
        }
        return text.substring(0, end);
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
