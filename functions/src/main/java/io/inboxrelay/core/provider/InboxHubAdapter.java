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
 * The generic "Inbox Hub / Baileys bridge" format, specified in {@code docs/generic-webhook-format.md}.
 * A message either spells out its fields ({@code id}, {@code from}/{@code to}/{@code phone}, {@code text},
 * {@code media}) or embeds a Baileys WAMessage ({@code key}, {@code message}, {@code pushName}).
 *
 * <p>Inbox Hub itself and the Frappe integrations built on it name the same fields differently
 * ({@code message_id}/{@code messageId}/{@code whatsappMessageId}, {@code phone_number}, {@code from_me},
 * {@code push_name}, {@code chatId}, the text in {@code content} or {@code body}, a whatsapp-web.js
 * {@code id} object) and put the message under {@code data} or {@code payload}, or flat at the top level.
 * Each field is read under every spelling, so one session accepts all of them.
 */
public final class InboxHubAdapter implements ProviderAdapter {

    static final String EVENT_HEADER = "X-Webhook-Event";

    static final String[] ID_FIELDS = {"id", "message_id", "messageId", "whatsappMessageId"};
    static final String[] FROM_ME_FIELDS = {"fromMe", "from_me"};
    static final String[] PHONE_FIELDS = {"phone", "phone_number", "phoneNumber"};
    static final String[] CHAT_FIELDS = {"chat", "chatId", "chat_id", "remoteJid"};
    private static final String[] PARTICIPANT_FIELDS = {"participant", "author", "sender"};
    private static final String[] NAME_FIELDS = {"name", "push_name", "pushName", "notifyName"};
    /** {@code message} last: the integration guide's {@code data.message} is the text itself when it is a string. */
    private static final String[] TEXT_FIELDS = {"text", "content", "body", "caption", "message"};
    /** Where a bridge may put the message when it is not the top-level {@code message} object. */
    private static final String[] CONTAINERS = {"data", "payload"};

    @Override
    public Provider provider() {
        return Provider.INBOX_HUB;
    }

    @Override
    public ParsedWebhook parse(WebhookRequest request, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new MalformedWebhookException("expected a JSON object");
        }
        String event = EventNames.fold(Nodes.text(body, "event"));
        if (event == null && request != null) {
            event = EventNames.fold(request.header(EVENT_HEADER));
        }
        if (event == null) {
            throw new MalformedWebhookException("no event: expected an `event` field or an X-Webhook-Event header");
        }
        Instant time = ReceivedTime.orReceived(Nodes.instant(Nodes.field(body, "timestamp")), request);
        List<GatewayEvent> events = switch (event) {
            // `message`: Inbox Hub's integration guide (INTEGRACION_EXTERNA_CRM.md) subscribes to `message` and
            // receives the lead's messages under it, the text in `data.message`.
            case "message.received", "message" -> message(messageOf(body), false, time);
            case "message.sent" -> message(messageOf(body), true, time);
            case "message.delivered" -> status(body, MessageStatus.DELIVERED, time);
            case "message.read" -> status(body, MessageStatus.READ, time);
            case "message.failed" -> status(body, MessageStatus.FAILED, time);
            case "message.ack" -> ack(body, time);
            // `message_status` / `session_status`: the other two events the integration guide subscribes to.
            case "message.status" -> namedStatus(body, time);
            case "session.status" -> sessionStatus(body, time);
            case "message.reaction" -> InboxHubChanges.reaction(messageOf(body), time);
            case "message.edited" -> InboxHubChanges.edited(messageOf(body), time);
            case "message.deleted" -> InboxHubChanges.deleted(messageOf(body), time);
            case "session.connected" -> session(SessionState.CONNECTED, null, time);
            case "session.connecting" -> session(SessionState.CONNECTING, null, time);
            case "session.disconnected" -> session(SessionState.DISCONNECTED, envelopeText(body, "reason"), time);
            case "session.qr" -> session(SessionState.QR, null, time);
            default -> List.of();
        };
        return new ParsedWebhook(event, events);
    }

    private static List<GatewayEvent> message(JsonNode message, boolean sent, Instant envelopeTime) {
        Instant given = Nodes.instant(Nodes.field(message, "timestamp"));
        Instant time = given != null ? given : envelopeTime;
        if (Nodes.object(message, "key") != null) {
            return BaileysMessages.toEvent(message, sent, time).<List<GatewayEvent>>map(List::of).orElse(List.of());
        }
        if (Nodes.object(message, "reactionMessage") != null) {
            // The seed's bridge sends reactions as message.received, with no id of their own.
            return InboxHubChanges.seedReaction(message, sent, time);
        }
        String id = messageId(message);
        if (id == null) {
            throw new MalformedWebhookException("`message.id` is required (also read as `message_id`, `messageId`, "
                    + "`whatsappMessageId` or `id.id`)");
        }
        Boolean explicitFromMe = Nodes.firstBool(message, FROM_ME_FIELDS);
        if (explicitFromMe == null) {
            explicitFromMe = Nodes.bool(Nodes.object(message, "id"), "fromMe");
        }
        boolean fromMe = explicitFromMe != null ? explicitFromMe : sent;
        JsonNode contact = Nodes.object(message, "contact");
        String phone = BaileysMessages.firstText(Nodes.firstText(message, PHONE_FIELDS), Nodes.text(contact, "phone"));
        String lead = BaileysMessages.firstText(Nodes.text(message, fromMe ? "to" : "from"), phone);
        String chat = BaileysMessages.firstText(Nodes.firstText(message, CHAT_FIELDS), lead);
        if (chat == null) {
            throw new MalformedWebhookException("message needs `" + (fromMe ? "to" : "from") + "`, `chatId` or `phone`"
                    + " (`phone_number`)");
        }
        Jid chatJid = Jid.parse(chat);
        boolean group = chatJid != null && chatJid.kind() == JidKind.GROUP;
        String participant = group ? groupSender(message, phone) : null;
        ChatAddress address = ChatAddress.resolve(chat, group ? null : phone, participant, group ? phone : null,
                fromMe, BaileysMessages.firstText(Nodes.firstText(message, NAME_FIELDS), Nodes.text(contact, "name")));
        if (address == null) {
            if (ChatAddress.isIgnoredChat(chat)) {
                return List.of();
            }
            throw new MalformedWebhookException("cannot read a phone number or JID from the message's chat");
        }
        MessageContent content = InboxHubContent.read(message, Nodes.firstText(message, TEXT_FIELDS));
        if (content == null) {
            return List.of();
        }
        MessageStatus status = BaileysMessages.status(Nodes.field(message, "status"));
        if (status == null) {
            status = fromMe ? MessageStatus.SENT : MessageStatus.DELIVERED;
        }
        return List.of(new InboundMessage(id, id, fromMe ? Direction.AGENT : Direction.LEAD, address.conversationId(),
                address.group(), address.contact(), content.text(), content.media(), time, status, content.kind(),
                content.details()));
    }

    /** The id under any of its spellings; whatsapp-web.js style bridges send {@code id} as {@code {id, remote, fromMe, _serialized}}. */
    static String messageId(JsonNode message) {
        String id = Nodes.firstText(message, ID_FIELDS);
        return id != null ? id : Nodes.text(Nodes.object(message, "id"), "id");
    }

    /** Who wrote in a group: the participant fields, else {@code from} unless it names the group itself. */
    private static String groupSender(JsonNode message, String phone) {
        String sender = Nodes.firstText(message, PARTICIPANT_FIELDS);
        if (sender != null) {
            return sender;
        }
        String from = Nodes.text(message, "from");
        Jid fromJid = Jid.parse(from);
        return from != null && (fromJid == null || fromJid.kind() != JidKind.GROUP) ? from : phone;
    }

    private static List<GatewayEvent> status(JsonNode body, MessageStatus status, Instant envelopeTime) {
        JsonNode message = messageOf(body);
        String id = BaileysMessages.firstText(messageId(message), Nodes.text(Nodes.object(message, "key"), "id"));
        if (id == null) {
            throw new MalformedWebhookException("`message.id` is required (also read as `message_id`, `messageId` "
                    + "or `whatsappMessageId`)");
        }
        Instant time = Nodes.instant(Nodes.field(message, "timestamp"));
        String chat = BaileysMessages.firstText(Nodes.firstText(message, CHAT_FIELDS),
                BaileysMessages.firstText(Nodes.text(message, "to"), Nodes.firstText(message, PHONE_FIELDS)));
        if (chat == null) {
            chat = BaileysMessages.firstText(Nodes.text(Nodes.object(message, "key"), "remoteJid"),
                    Nodes.text(Nodes.object(message, "id"), "remote"));
        }
        String reason = status == MessageStatus.FAILED ? errorReason(message, body) : null;
        return List.of(new StatusUpdate(id, ChatAddress.conversationIdOf(chat, Nodes.firstText(message, PHONE_FIELDS)),
                status, reason, time != null ? time : envelopeTime));
    }

    /**
     * Inbox Hub's {@code message.ack}: {@code ack} 1 server, 2 delivered, 3 read, 4 played, -1 error, as its
     * integration guide numbers them. 0 (pending) says nothing new and is ignored.
     */
    private static List<GatewayEvent> ack(JsonNode body, Instant envelopeTime) {
        Long ack = Nodes.longValue(Nodes.field(messageOf(body), "ack"));
        MessageStatus status = ack == null ? null : switch (ack.intValue() == ack ? ack.intValue() : Integer.MIN_VALUE) {
            case -1 -> MessageStatus.FAILED;
            case 1 -> MessageStatus.SENT;
            case 2 -> MessageStatus.DELIVERED;
            case 3 -> MessageStatus.READ;
            case 4 -> MessageStatus.PLAYED;
            default -> null;
        };
        return status == null ? List.of() : status(body, status, envelopeTime);
    }

    /**
     * {@code message_status}: a receipt whose {@code status} names the state ({@code sent}, {@code delivered},
     * {@code read}/{@code seen}, {@code played}, {@code failed}/{@code error}, Baileys' names). Pending and
     * unknown states say nothing new and are ignored.
     */
    private static List<GatewayEvent> namedStatus(JsonNode body, Instant envelopeTime) {
        JsonNode value = Nodes.field(messageOf(body), "status");
        if (value == null || !value.isTextual()) {
            return List.of(); // a number is ambiguous here: Inbox Hub's ack codes and Baileys' differ
        }
        MessageStatus status = value.textValue().trim().equalsIgnoreCase("seen") ? MessageStatus.READ
                : BaileysMessages.status(value);
        return status == null || status == MessageStatus.PENDING ? List.of() : status(body, status, envelopeTime);
    }

    /** {@code session_status}: {@code status} (or {@code state}) of the envelope or its {@code data}/{@code payload}. */
    private static List<GatewayEvent> sessionStatus(JsonNode body, Instant time) {
        String name = BaileysMessages.firstText(envelopeText(body, "status"), envelopeText(body, "state"));
        SessionState state = name == null ? null : switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "connected", "open", "working", "ready" -> SessionState.CONNECTED;
            case "connecting", "starting", "initializing" -> SessionState.CONNECTING;
            case "qr", "qr_required", "qr_ready", "scan_qr_code" -> SessionState.QR;
            case "disconnected", "close", "closed", "logout", "logged_out", "stopped", "failed" -> SessionState.DISCONNECTED;
            default -> null;
        };
        return state == null ? List.of()
                : session(state, state == SessionState.DISCONNECTED ? envelopeText(body, "reason") : null, time);
    }

    private static String errorReason(JsonNode message, JsonNode body) {
        for (JsonNode holder : new JsonNode[] {message, body}) {
            JsonNode error = Nodes.field(holder, "error");
            String text = Nodes.text(error);
            if (text == null && error != null && error.isObject()) {
                String code = Nodes.text(error, "code");
                String detail = Nodes.text(error, "message");
                text = ((code == null ? "" : code) + " " + (detail == null ? "" : detail)).trim();
            }
            if (text != null && !text.isEmpty()) {
                return text;
            }
        }
        return null;
    }

    /** A field of the envelope, or of its {@code data}/{@code payload} object. */
    private static String envelopeText(JsonNode body, String name) {
        String value = Nodes.text(body, name);
        for (int i = 0; value == null && i < CONTAINERS.length; i++) {
            value = Nodes.text(Nodes.object(body, CONTAINERS[i]), name);
        }
        return value;
    }

    private static List<GatewayEvent> session(SessionState state, String reason, Instant time) {
        return List.of(new SessionUpdate(state, reason, time));
    }

    /**
     * The message object, wherever the bridge put it: the top-level {@code message} object (this format), a Baileys
     * WAMessage at the top level, under {@code data}/{@code payload} (itself, or its {@code message} object), or the
     * body itself when the fields are flat at the top level.
     */
    static JsonNode messageOf(JsonNode body) {
        if (Nodes.object(body, "key") != null) {
            return body;
        }
        JsonNode message = Nodes.object(body, "message");
        if (message != null) {
            return message;
        }
        for (String name : CONTAINERS) {
            JsonNode container = Nodes.object(body, name);
            if (container != null) {
                JsonNode inner = Nodes.object(container, "message");
                return inner != null && Nodes.object(container, "key") == null ? inner : container;
            }
        }
        return body;
    }
}
