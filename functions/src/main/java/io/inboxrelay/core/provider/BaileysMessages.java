package io.inboxrelay.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Direction;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.Media;
import io.inboxrelay.core.MessageStatus;
import io.inboxrelay.core.phone.ChatAddress;
import io.inboxrelay.core.phone.Jid;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads Baileys {@code WAMessage} objects, which Evolution API and Baileys bridges pass through as they are.
 * {@code message.base64} (inline media) is never read, so it is never stored.
 */
final class BaileysMessages {

    private static final String[] MEDIA_KINDS = {"image", "video", "audio", "document", "sticker"};
    /** Containers whose {@code .message} holds the real content. */
    private static final String[] WRAPPERS = {
        "ephemeralMessage", "viewOnceMessage", "viewOnceMessageV2", "viewOnceMessageV2Extension",
        "documentWithCaptionMessage", "deviceSentMessage"};
    private static final int MAX_UNWRAP = 4;

    private BaileysMessages() {
    }

    /**
     * @param waMessage     a WAMessage: {@code key}, {@code message}, {@code pushName}, {@code messageTimestamp}, {@code status}
     * @param defaultFromMe direction when {@code key.fromMe} is absent
     * @param defaultTime   when {@code messageTimestamp} is absent or unreadable
     * @return the message; empty when it is not one a lead conversation shows (status broadcast, channel,
     *         reaction, protocol message, an unknown chat kind)
     * @throws MalformedWebhookException when the key or its chat or id is missing
     */
    static Optional<InboundMessage> toMessage(JsonNode waMessage, boolean defaultFromMe, Instant defaultTime) {
        JsonNode key = Nodes.object(waMessage, "key");
        if (key == null) {
            throw new MalformedWebhookException("message has no `key` object");
        }
        String remoteJid = Nodes.text(key, "remoteJid");
        String id = Nodes.text(key, "id");
        if (remoteJid == null || id == null) {
            throw new MalformedWebhookException("message `key` needs `remoteJid` and `id`");
        }
        if (Jid.parse(remoteJid) == null) {
            throw new MalformedWebhookException("`key.remoteJid` is not a JID");
        }
        Boolean keyFromMe = Nodes.bool(key, "fromMe");
        boolean fromMe = keyFromMe != null ? keyFromMe : defaultFromMe;
        String participant = firstText(Nodes.text(key, "participant"), Nodes.text(waMessage, "participant"));
        // Evolution 2.3.0 named the phone of an @lid chat `senderPn`; 2.3.6 and Baileys 7 name it `remoteJidAlt`.
        String participantAlt = firstText(firstText(Nodes.text(key, "participantAlt"), Nodes.text(waMessage, "participantAlt")),
                Nodes.text(key, "participantPn"));
        String remoteJidAlt = firstText(Nodes.text(key, "remoteJidAlt"), Nodes.text(key, "senderPn"));
        ChatAddress address = ChatAddress.resolve(remoteJid, remoteJidAlt, participant, participantAlt,
                fromMe, Nodes.text(waMessage, "pushName"));
        if (address == null) {
            return Optional.empty();
        }
        JsonNode envelope = Nodes.object(waMessage, "message");
        JsonNode content = unwrap(envelope);
        Media media = media(content, Nodes.text(envelope, "mediaUrl"));
        String text = text(content, media);
        if (text == null && media == null) {
            return Optional.empty();
        }
        Instant timestamp = Nodes.instant(Nodes.field(waMessage, "messageTimestamp"));
        MessageStatus status = status(Nodes.field(waMessage, "status"));
        if (status == null) {
            status = fromMe ? MessageStatus.SENT : MessageStatus.DELIVERED;
        }
        return Optional.of(new InboundMessage(id, id, fromMe ? Direction.AGENT : Direction.LEAD,
                address.conversationId(), address.group(), address.contact(), text, media,
                timestamp != null ? timestamp : defaultTime, status));
    }

    /**
     * Baileys' status enum: ERROR 0, PENDING 1, SERVER_ACK 2, DELIVERY_ACK 3, READ 4, PLAYED 5, as a number,
     * a numeric string or a name; null when unknown.
     */
    static MessageStatus status(JsonNode value) {
        Long number = Nodes.longValue(value);
        if (number != null) {
            return switch (number.intValue() == number ? number.intValue() : -1) {
                case 0 -> MessageStatus.FAILED;
                case 1 -> MessageStatus.PENDING;
                case 2 -> MessageStatus.SENT;
                case 3 -> MessageStatus.DELIVERED;
                case 4 -> MessageStatus.READ;
                case 5 -> MessageStatus.PLAYED;
                default -> null;
            };
        }
        String name = Nodes.text(value);
        if (name == null) {
            return null;
        }
        return switch (name.trim().toUpperCase(Locale.ROOT)) {
            case "ERROR", "FAILED" -> MessageStatus.FAILED;
            case "PENDING" -> MessageStatus.PENDING;
            case "SERVER_ACK", "SENT" -> MessageStatus.SENT;
            case "DELIVERY_ACK", "DELIVERED" -> MessageStatus.DELIVERED;
            case "READ" -> MessageStatus.READ;
            case "PLAYED" -> MessageStatus.PLAYED;
            default -> null;
        };
    }

    private static JsonNode unwrap(JsonNode content) {
        JsonNode current = content;
        for (int depth = 0; depth < MAX_UNWRAP && current != null; depth++) {
            JsonNode inner = null;
            for (String wrapper : WRAPPERS) {
                inner = Nodes.object(Nodes.object(current, wrapper), "message");
                if (inner != null) {
                    break;
                }
            }
            if (inner == null) {
                return current;
            }
            current = inner;
        }
        return current;
    }

    private static String text(JsonNode content, Media media) {
        String text = firstText(Nodes.text(content, "conversation"),
                Nodes.text(Nodes.object(content, "extendedTextMessage"), "text"));
        if (text != null) {
            return text;
        }
        if (media != null) {
            return media.caption();
        }
        JsonNode location = Nodes.object(content, "locationMessage");
        if (location != null) {
            return firstText(Nodes.text(location, "name"), Nodes.text(location, "address"));
        }
        return Nodes.text(Nodes.object(content, "contactMessage"), "displayName");
    }

    private static Media media(JsonNode content, String mediaUrl) {
        for (String kind : MEDIA_KINDS) {
            JsonNode media = Nodes.object(content, kind + "Message");
            if (media != null) {
                // Evolution's mediaUrl points at its own storage; the WhatsApp url is encrypted (.enc).
                String url = firstText(mediaUrl, Nodes.text(media, "url"));
                return new Media(kind, Nodes.text(media, "mimetype"), Nodes.text(media, "caption"), url,
                        Nodes.text(media, "fileName"), null, Nodes.longValue(Nodes.field(media, "fileLength")));
            }
        }
        if (Nodes.object(content, "locationMessage") != null) {
            return new Media("location", null, null, null, null, null, null);
        }
        if (Nodes.object(content, "contactMessage") != null || Nodes.object(content, "contactsArrayMessage") != null) {
            return new Media("contact", null, null, null, null, null, null);
        }
        return null;
    }

    static String firstText(String first, String second) {
        return first != null ? first : second;
    }

    static JsonNode firstNode(JsonNode first, JsonNode second) {
        return first != null ? first : second;
    }
}
