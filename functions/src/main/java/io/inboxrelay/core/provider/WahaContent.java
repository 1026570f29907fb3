package io.inboxrelay.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Media;
import io.inboxrelay.core.MessageDetails;
import io.inboxrelay.core.MessageDetails.ContactCard;
import io.inboxrelay.core.MessageDetails.Location;
import io.inboxrelay.core.MessageDetails.Quoted;
import io.inboxrelay.core.MessageKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The content of a WAHA message payload: {@code body}, {@code hasMedia}/{@code media}, {@code location},
 * {@code vCards}, {@code replyTo}. WEBJS fills {@code body} with a thumbnail for locations and with the card
 * itself for contacts, so {@code body} is only text when the message is neither.
 */
final class WahaContent {

    private WahaContent() {
    }

    /** @return the content, or null when the payload has nothing to show */
    static MessageContent read(JsonNode payload, JsonNode data) {
        MessageContent content = kind(payload, data);
        if (content == null) {
            return null;
        }
        MessageDetails details = content.details();
        JsonNode replyTo = Nodes.object(payload, "replyTo");
        String quotedId = WahaAdapter.bareId(Nodes.text(replyTo, "id"));
        if (quotedId != null) {
            details = details.withQuoted(new Quoted(quotedId, BaileysContent.cut(Nodes.text(replyTo, "body"))));
        }
        if (Boolean.TRUE.equals(Nodes.bool(data, "isForwarded"))) {
            details = details.withForwarded(true);
        }
        return content.with(details);
    }

    private static MessageContent kind(JsonNode payload, JsonNode data) {
        String engineType = Nodes.text(data, "type");
        JsonNode location = Nodes.object(payload, "location");
        Double latitude = Nodes.decimal(location, "latitude");
        Double longitude = Nodes.decimal(location, "longitude");
        if (latitude != null && longitude != null) {
            String name = BaileysMessages.firstText(Nodes.text(location, "name"), Nodes.text(location, "description"));
            String address = Nodes.text(location, "address");
            Location place = new Location(latitude, longitude, name, address, Nodes.text(location, "url"),
                    Boolean.TRUE.equals(Nodes.bool(location, "live")));
            return new MessageContent(MessageKind.LOCATION, MessageContent.placeText(name, address), null,
                    MessageDetails.location(place));
        }
        List<ContactCard> cards = new ArrayList<>();
        for (JsonNode vcard : Nodes.array(payload, "vCards")) {
            String text = Nodes.text(vcard);
            if (text != null && cards.size() < VCards.MAX_CARDS) {
                cards.add(VCards.read(text, null));
            }
        }
        if (!cards.isEmpty()) {
            return new MessageContent(MessageKind.CONTACTS, MessageContent.namesText(cards), null,
                    MessageDetails.NONE.withContacts(cards));
        }
        String body = Nodes.text(payload, "body");
        if (hasMedia(payload)) {
            return MessageContent.media(media(payload, data, engineType, body), body);
        }
        return MessageContent.text(body);
    }

    /**
     * {@code hasMedia: true}; or, when {@code hasMedia} is absent (WAHA's documentation examples of documents omit it),
     * a {@code media} object naming a file ({@code url}, {@code mimetype} or {@code filename}).
     */
    private static boolean hasMedia(JsonNode payload) {
        Boolean flag = Nodes.bool(payload, "hasMedia");
        if (flag != null) {
            return flag;
        }
        JsonNode media = Nodes.object(payload, "media");
        return Nodes.text(media, "url") != null || Nodes.text(media, "mimetype") != null || Nodes.text(media, "filename") != null;
    }

    /** The media, or a placeholder when WAHA announces it before (or without) downloading it: {@code media: null}. */
    private static Media media(JsonNode payload, JsonNode data, String engineType, String caption) {
        JsonNode media = Nodes.object(payload, "media");
        String mimeType = Nodes.text(media, "mimetype");
        boolean voice = "ptt".equals(engineType) || Boolean.TRUE.equals(Nodes.bool(
                Nodes.object(Nodes.object(data, "message"), "audioMessage"), "ptt"));
        String type = voice ? "audio" : mediaType(mimeType, engineType);
        String url = Nodes.text(media, "url");
        if (url == null) {
            return Media.placeholder(type, mimeType, caption, voice);
        }
        Media read = new Media(type, mimeType, caption, url, Nodes.text(media, "filename"), null, null);
        return voice ? read.asVoice() : read;
    }

    private static String mediaType(String mimeType, String engineType) {
        if (engineType != null) {
            switch (engineType) {
                case "image", "video", "audio", "sticker", "document" -> {
                    return engineType;
                }
                default -> {
                }
            }
        }
        String mime = mimeType == null ? "" : mimeType.toLowerCase(Locale.ROOT);
        if (mime.startsWith("image/")) {
            return "image";
        }
        if (mime.startsWith("video/")) {
            return "video";
        }
        if (mime.startsWith("audio/")) {
            return "audio";
        }
        return "document";
    }
}
