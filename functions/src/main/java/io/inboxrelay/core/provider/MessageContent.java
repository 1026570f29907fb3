package io.inboxrelay.core.provider;

import io.inboxrelay.core.Media;
import io.inboxrelay.core.MessageDetails;
import io.inboxrelay.core.MessageKind;
import java.util.List;
import java.util.Objects;

/** What one provider message holds, before it gets its id and its addresses. */
record MessageContent(MessageKind kind, String text, Media media, MessageDetails details) {

    MessageContent {
        details = details == null ? MessageDetails.NONE : details;
    }

    static MessageContent text(String text) {
        return text == null ? null : new MessageContent(MessageKind.TEXT, text, null, null);
    }

    static MessageContent media(Media media, String text) {
        return new MessageContent(MessageKind.ofMedia(media), text, media, null);
    }

    static MessageContent unsupported(String text) {
        return new MessageContent(MessageKind.UNSUPPORTED, text, null, null);
    }

    MessageContent with(MessageDetails more) {
        return new MessageContent(kind, text, media, more);
    }

    /** A location's text: its name and address, as an agent reads it in the list. */
    static String placeText(String name, String address) {
        if (name == null) {
            return address;
        }
        return address == null || address.equals(name) ? name : name + ", " + address;
    }

    /** The names of shared contact cards, as one line. */
    static String namesText(List<MessageDetails.ContactCard> cards) {
        return cards.stream().map(MessageDetails.ContactCard::name).filter(Objects::nonNull)
                .reduce((a, b) -> a + ", " + b).orElse(null);
    }
}
