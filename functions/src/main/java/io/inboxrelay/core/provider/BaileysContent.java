package io.inboxrelay.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Media;
import io.inboxrelay.core.MessageDetails;
import io.inboxrelay.core.MessageDetails.ContactCard;
import io.inboxrelay.core.MessageDetails.Interactive;
import io.inboxrelay.core.MessageDetails.Location;
import io.inboxrelay.core.MessageDetails.Quoted;
import io.inboxrelay.core.MessageKind;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The content of a Baileys {@code message} object (already unwrapped from ephemeral and view-once
 * containers): text, media, location, contact cards, button and list replies, and the quoted message
 * and forwarded flag of its {@code contextInfo}. Reactions and protocol messages are changes, read by
 * {@link BaileysMessages}.
 */
final class BaileysContent {

    static final int PREVIEW_CHARS = 200;
    private static final String[] MEDIA_KINDS = {"image", "video", "audio", "document", "sticker"};
    /** Fields of a message that carry no content an agent reads (keys, receipts of polls, sync). */
    /**
     * Fields holding no new bubble. {@code secretEncryptedMessage} is Baileys 7's encrypted change of an earlier message
     * ({@code secretEncType: MESSAGE_EDIT}, a contact's edit: Baileys #2719): no text to apply, and an "unsupported"
     * bubble for every edit would be wrong.
     */
    private static final Set<String> NOT_CONTENT = Set.of("messageContextInfo", "senderKeyDistributionMessage",
            "pollUpdateMessage", "encReactionMessage", "keepInChatMessage", "pinInChatMessage", "protocolMessage",
            "reactionMessage", "secretEncryptedMessage", "base64", "mediaUrl");

    private BaileysContent() {
    }

    /** The content, or null when the message holds nothing a conversation shows. */
    /** @param outerContext a {@code contextInfo} beside the message (Evolution copies it there), or null */
    static MessageContent read(JsonNode content, String mediaUrl, JsonNode outerContext) {
        MessageContent read = readKind(content, mediaUrl);
        if (read == null) {
            return null;
        }
        JsonNode context = contextInfo(content);
        return read.with(context(context != null ? context : outerContext, read.details()));
    }

    /** The text an agent reads for a quoted or edited message: its text or caption, else its kind's label. */
    static String textOf(JsonNode content) {
        MessageContent read = readKind(content, null);
        return read == null ? null : read.kind().content(read.text());
    }

    private static MessageContent readKind(JsonNode content, String mediaUrl) {
        String text = BaileysMessages.firstText(Nodes.text(content, "conversation"),
                Nodes.text(Nodes.object(content, "extendedTextMessage"), "text"));
        if (text != null) {
            return MessageContent.text(text);
        }
        for (String kind : MEDIA_KINDS) {
            JsonNode media = Nodes.object(content, kind + "Message");
            if (media != null) {
                // Evolution's mediaUrl points at its own storage; the WhatsApp url is encrypted (.enc).
                String url = BaileysMessages.firstText(mediaUrl, Nodes.text(media, "url"));
                Media read = new Media(kind, Nodes.text(media, "mimetype"), Nodes.text(media, "caption"), url,
                        Nodes.text(media, "fileName"), null, Nodes.longValue(Nodes.field(media, "fileLength")));
                if (Boolean.TRUE.equals(Nodes.bool(media, "ptt"))) {
                    read = read.asVoice();
                }
                return MessageContent.media(read, read.caption());
            }
        }
        JsonNode location = Nodes.object(content, "locationMessage");
        if (location != null) {
            return location(location, Nodes.text(location, "name"), Nodes.text(location, "address"),
                    Boolean.TRUE.equals(Nodes.bool(location, "isLive")));
        }
        JsonNode live = Nodes.object(content, "liveLocationMessage");
        if (live != null) {
            MessageContent read = location(live, null, null, true);
            return read == null ? null : new MessageContent(read.kind(), Nodes.text(live, "caption"), null, read.details());
        }
        MessageContent cards = contacts(content);
        if (cards != null) {
            return cards;
        }
        Interactive interactive = interactive(content);
        if (interactive != null) {
            return new MessageContent(MessageKind.INTERACTIVE_REPLY, interactive.title(), null,
                    MessageDetails.NONE.withInteractive(interactive));
        }
        return unknownContent(content) ? MessageContent.unsupported(null) : null;
    }

    private static MessageContent location(JsonNode node, String name, String address, boolean live) {
        Double latitude = Nodes.decimal(node, "degreesLatitude");
        Double longitude = Nodes.decimal(node, "degreesLongitude");
        if (latitude == null || longitude == null) {
            return MessageContent.unsupported(MessageContent.placeText(name, address));
        }
        Location location = new Location(latitude, longitude, name, address, Nodes.text(node, "url"), live);
        return new MessageContent(MessageKind.LOCATION, MessageContent.placeText(name, address), null,
                MessageDetails.location(location));
    }

    private static MessageContent contacts(JsonNode content) {
        List<ContactCard> cards = new ArrayList<>();
        JsonNode single = Nodes.object(content, "contactMessage");
        String displayName = null;
        if (single != null) {
            cards.add(VCards.read(Nodes.text(single, "vcard"), Nodes.text(single, "displayName")));
        }
        JsonNode array = Nodes.object(content, "contactsArrayMessage");
        if (array != null) {
            displayName = Nodes.text(array, "displayName");
            for (JsonNode card : Nodes.array(array, "contacts")) {
                if (cards.size() < VCards.MAX_CARDS) {
                    cards.add(VCards.read(Nodes.text(card, "vcard"), Nodes.text(card, "displayName")));
                }
            }
        }
        if (single == null && array == null) {
            return null;
        }
        String names = MessageContent.namesText(cards);
        return new MessageContent(MessageKind.CONTACTS, names != null ? names : displayName, null,
                MessageDetails.NONE.withContacts(cards));
    }

    private static Interactive interactive(JsonNode content) {
        JsonNode buttons = Nodes.object(content, "buttonsResponseMessage");
        if (buttons != null) {
            return new Interactive("button", Nodes.text(buttons, "selectedButtonId"), Nodes.text(buttons, "selectedDisplayText"));
        }
        JsonNode list = Nodes.object(content, "listResponseMessage");
        if (list != null) {
            return new Interactive("list", Nodes.text(Nodes.object(list, "singleSelectReply"), "selectedRowId"),
                    BaileysMessages.firstText(Nodes.text(list, "title"), Nodes.text(list, "description")));
        }
        JsonNode template = Nodes.object(content, "templateButtonReplyMessage");
        if (template != null) {
            return new Interactive("template", Nodes.text(template, "selectedId"), Nodes.text(template, "selectedDisplayText"));
        }
        JsonNode flow = Nodes.object(content, "interactiveResponseMessage");
        if (flow != null) {
            JsonNode nativeFlow = Nodes.object(flow, "nativeFlowResponseMessage");
            return new Interactive("button", paramsId(Nodes.text(nativeFlow, "paramsJson")),
                    BaileysMessages.firstText(Nodes.text(Nodes.object(flow, "body"), "text"), Nodes.text(nativeFlow, "name")));
        }
        return null;
    }

    /** A native flow reply's {@code paramsJson} is a JSON string; its {@code id} is the button's id. */
    private static String paramsId(String paramsJson) {
        if (paramsJson == null) {
            return null;
        }
        try {
            return Nodes.text(Json.MAPPER.readTree(paramsJson), "id");
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** Any other {@code …Message…} (a poll, an event, a product) is shown as unsupported, never dropped in silence. */
    private static boolean unknownContent(JsonNode content) {
        if (content == null || !content.isObject()) {
            return false;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = content.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().contains("Message") && field.getValue().isObject() && !NOT_CONTENT.contains(field.getKey())) {
                return true;
            }
        }
        return false;
    }

    /** The quoted message and the forwarded flag from the {@code contextInfo} of the content's message object. */
    private static MessageDetails context(JsonNode context, MessageDetails details) {
        if (context == null) {
            return details;
        }
        MessageDetails more = details;
        String quotedId = Nodes.text(context, "stanzaId");
        if (quotedId != null) {
            JsonNode quoted = Nodes.object(context, "quotedMessage");
            more = more.withQuoted(new Quoted(quotedId, cut(quoted == null ? null : textOf(quoted))));
        }
        if (Boolean.TRUE.equals(Nodes.bool(context, "isForwarded"))) {
            more = more.withForwarded(true);
        }
        return more;
    }

    private static JsonNode contextInfo(JsonNode content) {
        if (content == null || !content.isObject()) {
            return null;
        }
        Iterator<JsonNode> values = content.elements();
        while (values.hasNext()) {
            JsonNode context = Nodes.object(values.next(), "contextInfo");
            if (context != null) {
                return context;
            }
        }
        return null;
    }

    static String cut(String text) {
        if (text == null || text.length() <= PREVIEW_CHARS) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(PREVIEW_CHARS - 1)) ? PREVIEW_CHARS - 1 : PREVIEW_CHARS;
        return text.substring(0, end);
    }
}
