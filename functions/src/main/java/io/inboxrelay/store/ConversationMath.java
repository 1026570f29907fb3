package io.inboxrelay.store;

import io.inboxrelay.core.Direction;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.event.Envelopes.ConversationState;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** How a conversation changes when a message is stored: pure, so it is tested on its own. */
final class ConversationMath {

    /** Preview length kept on the conversation; the full text lives on the message. */
    static final int PREVIEW_CHARS = 200;

    private ConversationMath() {
    }

    static ConversationState advance(Map<String, AttributeValue> current, InboundMessage message) {
        boolean exists = current != null && !current.isEmpty();
        Map<String, AttributeValue> item = exists ? current : Map.of();
        long version = Attrs.number(item, ConversationItems.VERSION, 0);
        long unread = Attrs.number(item, ConversationItems.UNREAD_COUNT, 0) + (message.direction() == Direction.LEAD ? 1 : 0);
        Long lastAt = Attrs.number(item, ConversationItems.LAST_MESSAGE_AT);
        // A message that arrives late (older than the one shown) counts, but does not replace the preview.
        boolean newest = lastAt == null || message.timestamp().toEpochMilli() >= lastAt;

        String name = Attrs.string(item, ConversationItems.NAME);
        if (!message.group() && message.direction() == Direction.LEAD && message.contact().name() != null) {
            name = message.contact().name();
        }
        String phone = message.group() ? null : firstNonNull(message.contact().phone(), Attrs.string(item, ConversationItems.PHONE));
        String contactId = message.group() ? message.conversationId() : message.contact().contactId();

        return new ConversationState(
                message.conversationId(),
                contactId,
                name,
                phone,
                message.group(),
                unread,
                version + 1,
                newest ? message.messageId() : Attrs.string(item, ConversationItems.LAST_MESSAGE_ID),
                newest ? preview(message) : Attrs.string(item, ConversationItems.LAST_MESSAGE_TEXT),
                newest ? message.direction().wireName() : Attrs.string(item, ConversationItems.LAST_MESSAGE_SENDER),
                newest ? message.timestamp() : Instant.ofEpochMilli(lastAt));
    }

    private static String preview(InboundMessage message) {
        String text = message.text();
        if (text == null && message.media() != null) {
            text = "[" + message.media().type() + "]";
        }
        if (text == null || text.length() <= PREVIEW_CHARS) {
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
