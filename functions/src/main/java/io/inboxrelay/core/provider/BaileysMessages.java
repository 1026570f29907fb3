package io.inboxrelay.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Direction;
import io.inboxrelay.core.GatewayEvent;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.MessageChange;
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

    /** Containers whose {@code .message} holds the real content. */
    private static final String[] WRAPPERS = {
        "ephemeralMessage", "viewOnceMessage", "viewOnceMessageV2", "viewOnceMessageV2Extension",
        "documentWithCaptionMessage", "deviceSentMessage", "editedMessage"};
    private static final int MAX_UNWRAP = 4;

    private BaileysMessages() {
    }

    /**
     * @param waMessage     a WAMessage: {@code key}, {@code message}, {@code pushName}, {@code messageTimestamp}, {@code status}
     * @param defaultFromMe direction when {@code key.fromMe} is absent
     * @param defaultTime   when {@code messageTimestamp} is absent or unreadable
     * @return the message, or the change a reaction, an edit or a revocation makes to an earlier one; empty
     *         when it is nothing a lead conversation shows (status broadcast, channel, key sharing, sync)
     * @throws MalformedWebhookException when the key or its chat or id is missing
     */
    static Optional<GatewayEvent> toEvent(JsonNode waMessage, boolean defaultFromMe, Instant defaultTime) {
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
        Instant timestamp = Nodes.instant(Nodes.field(waMessage, "messageTimestamp"));
        Instant at = timestamp != null ? timestamp : defaultTime;
        Direction direction = fromMe ? Direction.AGENT : Direction.LEAD;
        JsonNode reaction = Nodes.object(content, "reactionMessage");
        if (reaction != null) {
            return reaction(reaction, id, address.conversationId(), direction, at).map(GatewayEvent.class::cast);
        }
        JsonNode protocol = Nodes.object(content, "protocolMessage");
        if (protocol != null) {
            return protocolChange(protocol, address.conversationId(), direction, at).map(GatewayEvent.class::cast);
        }
        MessageContent read = BaileysContent.read(content, Nodes.text(envelope, "mediaUrl"), Nodes.object(waMessage, "contextInfo"));
        if (read == null) {
            return Optional.empty();
        }
        MessageStatus status = status(Nodes.field(waMessage, "status"));
        if (status == null) {
            status = fromMe ? MessageStatus.SENT : MessageStatus.DELIVERED;
        }
        return Optional.of(new InboundMessage(id, id, direction, address.conversationId(), address.group(), address.contact(),
                read.text(), read.media(), at, status, read.kind(), read.details()));
    }

    /**
     * A {@code reactionMessage}: {@code key.id} is the message reacted to, {@code text} the emoji (empty: removed).
     *
     * @param ownId the reaction's own message id, or null when the bridge sends none
     */
    static Optional<MessageChange> reaction(JsonNode reaction, String ownId, String conversationId, Direction actor,
            Instant at) {
        String target = Nodes.text(Nodes.object(reaction, "key"), "id");
        if (target == null) {
            return Optional.empty();
        }
        Instant sent = Nodes.instant(Nodes.field(reaction, "senderTimestampMs"));
        return Optional.of(MessageChange.reaction(ownId, target, conversationId, actor, Nodes.text(reaction, "text"),
                ownId == null && sent != null ? sent : at));
    }

    /**
     * A {@code protocolMessage} of type REVOKE (0) or MESSAGE_EDIT (14), by number or name; other types (key
     * sharing, history sync, ephemeral settings) change nothing shown.
     */
    static Optional<MessageChange> protocolChange(JsonNode protocol, String conversationId, Direction actor, Instant at) {
        String target = Nodes.text(Nodes.object(protocol, "key"), "id");
        JsonNode type = Nodes.field(protocol, "type");
        Long number = Nodes.longValue(type);
        String name = Nodes.text(type);
        if (target == null) {
            return Optional.empty();
        }
        if (Long.valueOf(0).equals(number) || "REVOKE".equals(name)) {
            return Optional.of(MessageChange.delete(target, conversationId, actor, at));
        }
        JsonNode edited = Nodes.object(protocol, "editedMessage");
        if ((Long.valueOf(14).equals(number) || "MESSAGE_EDIT".equals(name)) && edited != null) {
            Instant editedAt = Nodes.instant(Nodes.field(protocol, "timestampMs"));
            return Optional.of(MessageChange.edit(target, conversationId, actor, BaileysContent.textOf(unwrap(edited)),
                    editedAt != null ? editedAt : at));
        }
        return Optional.empty();
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

    static JsonNode unwrap(JsonNode content) {
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

    static String firstText(String first, String second) {
        return first != null ? first : second;
    }

    static JsonNode firstNode(JsonNode first, JsonNode second) {
        return first != null ? first : second;
    }
}
