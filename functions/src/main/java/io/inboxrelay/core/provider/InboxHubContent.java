package io.inboxrelay.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Media;
import io.inboxrelay.core.MessageDetails;
import io.inboxrelay.core.MessageDetails.ContactCard;
import io.inboxrelay.core.MessageDetails.Interactive;
import io.inboxrelay.core.MessageDetails.Location;
import io.inboxrelay.core.MessageDetails.Quoted;
import io.inboxrelay.core.MessageKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The content fields of the generic format (docs/generic-webhook-format.md): {@code text}, {@code media},
 * {@code location}, {@code contacts}, {@code interactive}, {@code quoted}, {@code forwarded}.
 */
final class InboxHubContent {

    private InboxHubContent() {
    }

    /** @return the content, or null when the message holds none of these fields */
    static MessageContent read(JsonNode message, String text) {
        MessageContent content = kind(message, text);
        if (content == null) {
            return null;
        }
        MessageDetails details = content.details();
        JsonNode quoted = Nodes.object(message, "quoted");
        String quotedId = Nodes.text(quoted, "id");
        if (quotedId != null) {
            details = details.withQuoted(new Quoted(quotedId, BaileysContent.cut(Nodes.text(quoted, "preview"))));
        }
        if (Boolean.TRUE.equals(Nodes.bool(message, "forwarded"))) {
            details = details.withForwarded(true);
        }
        return content.with(details);
    }

    private static MessageContent kind(JsonNode message, String text) {
        JsonNode location = Nodes.object(message, "location");
        Double latitude = Nodes.decimal(location, "latitude");
        Double longitude = Nodes.decimal(location, "longitude");
        if (latitude != null && longitude != null) {
            String name = Nodes.text(location, "name");
            String address = Nodes.text(location, "address");
            Location place = new Location(latitude, longitude, name, address, Nodes.text(location, "url"),
                    Boolean.TRUE.equals(Nodes.bool(location, "live")));
            return new MessageContent(MessageKind.LOCATION, BaileysMessages.firstText(text, MessageContent.placeText(name, address)),
                    null, MessageDetails.location(place));
        }
        List<ContactCard> cards = contacts(Nodes.array(message, "contacts"));
        if (!cards.isEmpty()) {
            return new MessageContent(MessageKind.CONTACTS, BaileysMessages.firstText(text, MessageContent.namesText(cards)), null,
                    MessageDetails.NONE.withContacts(cards));
        }
        JsonNode interactive = Nodes.object(message, "interactive");
        if (interactive != null) {
            String type = Nodes.text(interactive, "type");
            String kind = type == null ? "button" : type.toLowerCase(Locale.ROOT);
            Interactive reply = new Interactive(kind.equals("list") || kind.equals("template") ? kind : "button",
                    Nodes.text(interactive, "id"), BaileysMessages.firstText(Nodes.text(interactive, "title"), text));
            return new MessageContent(MessageKind.INTERACTIVE_REPLY, reply.title(), null,
                    MessageDetails.NONE.withInteractive(reply));
        }
        Media media = media(Nodes.object(message, "media"), Nodes.text(message, "type"));
        if (media != null) {
            return MessageContent.media(media, BaileysMessages.firstText(text, media.caption()));
        }
        return MessageContent.text(text);
    }

    /** Each card is {@code {name, phones: [...]}} or a raw {@code vcard} string. */
    private static List<ContactCard> contacts(List<JsonNode> shared) {
        List<ContactCard> cards = new ArrayList<>();
        for (JsonNode card : shared) {
            if (cards.size() >= VCards.MAX_CARDS) {
                break;
            }
            String vcard = Nodes.text(card, "vcard");
            if (vcard != null) {
                cards.add(VCards.read(vcard, Nodes.text(card, "name")));
                continue;
            }
            List<String> phones = new ArrayList<>();
            boolean truncated = false;
            for (JsonNode phone : Nodes.array(card, "phones")) {
                String number = Nodes.text(phone);
                if (number != null && phones.size() < VCards.MAX_PHONES) {
                    phones.add(VCards.cut(number));
                } else if (number != null) {
                    truncated = true;
                }
            }
            String name = VCards.cut(Nodes.text(card, "name"));
            if (name != null || !phones.isEmpty()) {
                cards.add(new ContactCard(name, phones, truncated));
            }
        }
        return cards;
    }

    /**
     * A media object with neither {@code url} nor {@code id} is a placeholder: announced, not yet downloadable. Its type
     * is {@code media.type}, else the message's {@code type} (the seed's bridge: {@code type: "image"} beside a
     * {@code media} object without one), else the MIME type's family.
     */
    private static Media media(JsonNode media, String messageType) {
        if (media == null) {
            return null;
        }
        String type = BaileysMessages.firstText(Nodes.text(media, "type"), mediaTypeName(messageType));
        String mimeType = BaileysMessages.firstText(Nodes.text(media, "mimetype"), Nodes.text(media, "mimeType"));
        if (type == null) {
            type = mimeFamily(mimeType);
        }
        boolean voice = Boolean.TRUE.equals(Nodes.firstBool(media, "voice", "ptt")) || "ptt".equals(type) || "voice".equals(type);
        String url = Nodes.firstText(media, "url", "media_url");
        String id = Nodes.text(media, "id");
        Media read = new Media(voice ? "audio" : type == null ? "other" : type.toLowerCase(Locale.ROOT),
                mimeType, Nodes.text(media, "caption"), url, Nodes.firstText(media, "fileName", "filename"), id,
                Nodes.longValue(BaileysMessages.firstNode(Nodes.field(media, "size"), Nodes.field(media, "filesize"))),
                url != null || id != null, voice);
        return read;
    }

    /** A message {@code type} that names a media kind, else null ({@code text}, {@code chat}, …). */
    private static String mediaTypeName(String messageType) {
        String type = messageType == null ? "" : messageType.trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "image", "video", "audio", "document", "sticker", "ptt", "voice" -> type;
            default -> null;
        };
    }

    /** {@code image/jpeg} is an image and so on; any other MIME type a document; none: {@code other}. */
    private static String mimeFamily(String mimeType) {
        if (mimeType == null) {
            return null;
        }
        String mime = mimeType.toLowerCase(Locale.ROOT);
        for (String family : new String[] {"image", "video", "audio"}) {
            if (mime.startsWith(family + "/")) {
                return family;
            }
        }
        return "document";
    }
}
