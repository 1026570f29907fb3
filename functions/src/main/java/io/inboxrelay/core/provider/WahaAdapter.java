package io.inboxrelay.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Direction;
import io.inboxrelay.core.GatewayEvent;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.MessageStatus;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.SessionState;
import io.inboxrelay.core.SessionUpdate;
import io.inboxrelay.core.StatusUpdate;
import io.inboxrelay.core.WebhookRequest;
import io.inboxrelay.core.phone.ChatAddress;
import io.inboxrelay.core.phone.Jid;
import io.inboxrelay.core.phone.JidKind;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * WAHA: {@code {id, timestamp (ms), event, session, me, payload, engine}}. {@code message} and
 * {@code message.any} both carry messages (the latter also the business's own); storage dedupes them.
 */
public final class WahaAdapter implements ProviderAdapter {

    @Override
    public Provider provider() {
        return Provider.WAHA;
    }

    @Override
    public ParsedWebhook parse(WebhookRequest request, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new MalformedWebhookException("expected a JSON object");
        }
        String event = Nodes.text(body, "event");
        if (event == null) {
            throw new MalformedWebhookException("missing `event`");
        }
        event = event.trim().toLowerCase(Locale.ROOT);
        Instant sentAt = ReceivedTime.orReceived(Nodes.instant(Nodes.field(body, "timestamp")), request);
        List<GatewayEvent> events = switch (event) {
            case "message", "message.any" -> message(payload(body), Nodes.object(body, "me"), sentAt);
            case "message.ack" -> ack(payload(body), sentAt);
            case "message.reaction" -> WahaChanges.reaction(payload(body), sentAt);
            case "message.revoked" -> WahaChanges.revoked(payload(body), sentAt);
            case "message.edited" -> WahaChanges.edited(payload(body), sentAt);
            case "session.status" -> sessionStatus(payload(body), sentAt);
            default -> List.of();
        };
        return new ParsedWebhook(event, events);
    }

    private static JsonNode payload(JsonNode body) {
        JsonNode payload = Nodes.object(body, "payload");
        if (payload == null) {
            throw new MalformedWebhookException("missing `payload` object");
        }
        return payload;
    }

    private static List<GatewayEvent> message(JsonNode payload, JsonNode me, Instant sentAt) {
        String providerId = requireText(payload, "id");
        boolean fromMe = fromMe(payload) || isMe(Nodes.text(payload, "participant"), me);
        String chat = chatOf(payload, fromMe);
        if (chat == null) {
            throw new MalformedWebhookException("message needs `" + (fromMe ? "to" : "from") + "`");
        }
        JsonNode data = Nodes.object(payload, "_data");
        JsonNode baileysKey = Nodes.object(data, "key");
        ChatAddress address = ChatAddress.resolve(chat, Nodes.text(baileysKey, "remoteJidAlt"),
                Nodes.text(payload, "participant"), Nodes.text(baileysKey, "participantAlt"), fromMe, pushName(data));
        if (address == null) {
            return List.of();
        }
        MessageContent content = WahaContent.read(payload, data);
        if (content == null) {
            return List.of();
        }
        MessageStatus status = ackStatus(payload);
        if (status == null) {
            status = fromMe ? MessageStatus.SENT : MessageStatus.DELIVERED;
        }
        Instant timestamp = Nodes.instant(Nodes.field(payload, "timestamp"));
        if (timestamp == null) {
            timestamp = sentAt;
        }
        return List.of(new InboundMessage(bareId(providerId), providerId, fromMe ? Direction.AGENT : Direction.LEAD,
                address.conversationId(), address.group(), address.contact(), content.text(), content.media(), timestamp, status,
                content.kind(), content.details()));
    }

    private static List<GatewayEvent> ack(JsonNode payload, Instant sentAt) {
        String providerId = requireText(payload, "id");
        MessageStatus status = ackStatus(payload);
        if (status == null) {
            throw new MalformedWebhookException("message.ack needs a known `ack` or `ackName`");
        }
        String chat = chatOf(payload, fromMe(payload));
        String reason = status == MessageStatus.FAILED ? "ERROR" : null;
        return List.of(new StatusUpdate(bareId(providerId), ChatAddress.conversationIdOf(chat, null), status, reason, sentAt));
    }

    private static List<GatewayEvent> sessionStatus(JsonNode payload, Instant sentAt) {
        String status = Nodes.text(payload, "status");
        if (status == null) {
            throw new MalformedWebhookException("session.status needs `payload.status`");
        }
        String upper = status.trim().toUpperCase(Locale.ROOT);
        SessionState state = switch (upper) {
            case "WORKING" -> SessionState.CONNECTED;
            case "STARTING" -> SessionState.CONNECTING;
            case "SCAN_QR_CODE" -> SessionState.QR;
            case "STOPPED", "FAILED" -> SessionState.DISCONNECTED;
            default -> null;
        };
        if (state == null) {
            return List.of();
        }
        return List.of(new SessionUpdate(state, state == SessionState.DISCONNECTED ? upper : null, sentAt));
    }

    /**
     * Whether the business sent the message: {@code fromMe}, else the serialized id's prefix. WAHA builds every id
     * as {@code {key.fromMe}_{chat}_{id}} (NOWEB {@code buildMessageId}, WEBJS {@code id._serialized}), and its
     * documentation examples omit {@code fromMe} ({@code replyTo}, media), so {@code true_} is then the only signal.
     */
    static boolean fromMe(JsonNode payload) {
        Boolean flag = Nodes.bool(payload, "fromMe");
        if (flag != null) {
            return flag;
        }
        String id = Nodes.text(payload, "id");
        return id != null && id.startsWith("true_");
    }

    /**
     * The chat of a message: {@code from} for one received; {@code to} for one sent, else — NOWEB sends the
     * business's own messages without {@code to} (waha issues #127, #1005) — the Baileys
     * {@code _data.key.remoteJid}, else the chat of the serialized id, else {@code from} (NOWEB's {@code from} is
     * always the chat). A received message without {@code from} falls back the same way. Null when none is a JID.
     */
    static String chatOf(JsonNode payload, boolean fromMe) {
        String key = Nodes.text(Nodes.object(Nodes.object(payload, "_data"), "key"), "remoteJid");
        String[] candidates = fromMe
                ? new String[] {Nodes.text(payload, "to"), key, chatOfId(Nodes.text(payload, "id")), Nodes.text(payload, "from")}
                : new String[] {Nodes.text(payload, "from"), key, chatOfId(Nodes.text(payload, "id"))};
        for (String candidate : candidates) {
            if (candidate != null && Jid.parse(candidate) != null) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Whether a group message's participant is the session's own account ({@code me.id}, {@code me.jid} or
     * {@code me.lid} of the envelope): NOWEB delivers the account's own group messages sent from another device as
     * {@code fromMe: false} with its own {@code @lid} as the participant (waha issue #1005).
     */
    static boolean isMe(String participant, JsonNode me) {
        Jid who = Jid.parse(participant);
        if (who == null || me == null || who.server() == null) {
            return false;
        }
        for (String field : new String[] {"id", "jid", "lid"}) {
            Jid own = Jid.parse(Nodes.text(me, field));
            if (own != null && own.server() != null && own.kind() == who.kind() && own.user().equals(who.user())
                    && (own.kind() == JidKind.PHONE || own.server().equals(who.server()))) {
                return true;
            }
        }
        return false;
    }

    /** The chat part of a serialized id {@code {fromMe}_{chat}_{id}[_{participant}]}; null for a bare id. */
    static String chatOfId(String providerId) {
        if (providerId == null) {
            return null;
        }
        String[] parts = providerId.split("_", -1);
        boolean serialized = parts.length >= 3 && (parts[0].equals("true") || parts[0].equals("false"));
        return serialized && !parts[1].isEmpty() ? parts[1] : null;
    }

    /**
     * WAHA's id is {@code {fromMe}_{chat}_{id}} with {@code _{participant}} appended in groups; the bare
     * id is what an {@code @c.us} delivery and its {@code @lid} twin share.
     */
    static String bareId(String providerId) {
        if (providerId == null) {
            return null;
        }
        String[] parts = providerId.split("_", -1);
        boolean serialized = parts.length >= 3 && (parts[0].equals("true") || parts[0].equals("false"));
        return serialized && !parts[2].isEmpty() ? parts[2] : providerId;
    }

    /** ack: -1 ERROR, 0 PENDING, 1 SERVER, 2 DEVICE, 3 READ, 4 PLAYED; or the same as {@code ackName}. */
    private static MessageStatus ackStatus(JsonNode payload) {
        Long ack = Nodes.longValue(Nodes.field(payload, "ack"));
        if (ack != null) {
            if (ack == -1) {
                return MessageStatus.FAILED;
            }
            if (ack == 0) {
                return MessageStatus.PENDING;
            }
            if (ack == 1) {
                return MessageStatus.SENT;
            }
            if (ack == 2) {
                return MessageStatus.DELIVERED;
            }
            if (ack == 3) {
                return MessageStatus.READ;
            }
            if (ack == 4) {
                return MessageStatus.PLAYED;
            }
        }
        String name = Nodes.text(payload, "ackName");
        if (name == null) {
            return null;
        }
        return switch (name.trim().toUpperCase(Locale.ROOT)) {
            case "ERROR" -> MessageStatus.FAILED;
            case "PENDING" -> MessageStatus.PENDING;
            case "SERVER" -> MessageStatus.SENT;
            case "DEVICE" -> MessageStatus.DELIVERED;
            case "READ" -> MessageStatus.READ;
            case "PLAYED" -> MessageStatus.PLAYED;
            default -> null;
        };
    }

    /** The sender's name: WEBJS keeps it in {@code notifyName}, NOWEB in {@code pushName}, GOWS in {@code Info.PushName}. */
    private static String pushName(JsonNode data) {
        String name = BaileysMessages.firstText(Nodes.text(data, "notifyName"), Nodes.text(data, "pushName"));
        return name != null ? name : Nodes.text(Nodes.object(data, "Info"), "PushName");
    }

    private static String requireText(JsonNode payload, String field) {
        String value = Nodes.text(payload, field);
        if (value == null) {
            throw new MalformedWebhookException("missing `payload." + field + "`");
        }
        return value;
    }
}
