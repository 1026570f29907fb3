package io.inboxrelay.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Direction;
import io.inboxrelay.core.GatewayEvent;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.Media;
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
 */
public final class InboxHubAdapter implements ProviderAdapter {

    static final String EVENT_HEADER = "X-Webhook-Event";

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
            case "message.received" -> message(requireMessage(body), false, time);
            case "message.sent" -> message(requireMessage(body), true, time);
            case "message.delivered" -> status(body, MessageStatus.DELIVERED, time);
            case "message.read" -> status(body, MessageStatus.READ, time);
            case "message.failed" -> status(body, MessageStatus.FAILED, time);
            case "session.connected" -> session(SessionState.CONNECTED, null, time);
            case "session.connecting" -> session(SessionState.CONNECTING, null, time);
            case "session.disconnected" -> session(SessionState.DISCONNECTED, Nodes.text(body, "reason"), time);
            case "session.qr" -> session(SessionState.QR, null, time);
            default -> List.of();
        };
        return new ParsedWebhook(event, events);
    }

    private static List<GatewayEvent> message(JsonNode message, boolean sent, Instant envelopeTime) {
        Instant given = Nodes.instant(Nodes.field(message, "timestamp"));
        Instant time = given != null ? given : envelopeTime;
        if (Nodes.object(message, "key") != null) {
            return BaileysMessages.toMessage(message, sent, time).<List<GatewayEvent>>map(List::of).orElse(List.of());
        }
        String id = Nodes.text(message, "id");
        if (id == null) {
            throw new MalformedWebhookException("`message.id` is required");
        }
        Boolean explicitFromMe = Nodes.bool(message, "fromMe");
        boolean fromMe = explicitFromMe != null ? explicitFromMe : sent;
        String phone = Nodes.text(message, "phone");
        String lead = BaileysMessages.firstText(Nodes.text(message, fromMe ? "to" : "from"), phone);
        String chat = BaileysMessages.firstText(Nodes.text(message, "chat"), lead);
        if (chat == null) {
            throw new MalformedWebhookException("message needs `" + (fromMe ? "to" : "from") + "` or `phone`");
        }
        Jid chatJid = Jid.parse(chat);
        boolean group = chatJid != null && chatJid.kind() == JidKind.GROUP;
        String participant = group ? BaileysMessages.firstText(Nodes.text(message, "from"), phone) : null;
        ChatAddress address = ChatAddress.resolve(chat, group ? null : phone, participant, group ? phone : null,
                fromMe, Nodes.text(message, "name"));
        if (address == null) {
            if (ChatAddress.isIgnoredChat(chat)) {
                return List.of();
            }
            throw new MalformedWebhookException("cannot read a phone number or JID from the message's chat");
        }
        Media media = media(Nodes.object(message, "media"));
        String text = BaileysMessages.firstText(Nodes.text(message, "text"), media == null ? null : media.caption());
        if (text == null && media == null) {
            return List.of();
        }
        MessageStatus status = BaileysMessages.status(Nodes.field(message, "status"));
        if (status == null) {
            status = fromMe ? MessageStatus.SENT : MessageStatus.DELIVERED;
        }
        return List.of(new InboundMessage(id, id, fromMe ? Direction.AGENT : Direction.LEAD, address.conversationId(),
                address.group(), address.contact(), text, media, time, status));
    }

    private static List<GatewayEvent> status(JsonNode body, MessageStatus status, Instant envelopeTime) {
        JsonNode message = requireMessage(body);
        String id = BaileysMessages.firstText(Nodes.text(message, "id"), Nodes.text(Nodes.object(message, "key"), "id"));
        if (id == null) {
            throw new MalformedWebhookException("`message.id` is required");
        }
        Instant time = Nodes.instant(Nodes.field(message, "timestamp"));
        String chat = BaileysMessages.firstText(Nodes.text(message, "chat"),
                BaileysMessages.firstText(Nodes.text(message, "to"), Nodes.text(message, "phone")));
        if (chat == null) {
            chat = Nodes.text(Nodes.object(message, "key"), "remoteJid");
        }
        String reason = status == MessageStatus.FAILED ? errorReason(message, body) : null;
        return List.of(new StatusUpdate(id, ChatAddress.conversationIdOf(chat, Nodes.text(message, "phone")), status, reason,
                time != null ? time : envelopeTime));
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

    private static List<GatewayEvent> session(SessionState state, String reason, Instant time) {
        return List.of(new SessionUpdate(state, reason, time));
    }

    private static Media media(JsonNode media) {
        if (media == null) {
            return null;
        }
        String type = Nodes.text(media, "type");
        return new Media(type == null ? "other" : type.toLowerCase(Locale.ROOT),
                BaileysMessages.firstText(Nodes.text(media, "mimetype"), Nodes.text(media, "mimeType")),
                Nodes.text(media, "caption"), Nodes.text(media, "url"), Nodes.text(media, "fileName"),
                Nodes.text(media, "id"), Nodes.longValue(Nodes.field(media, "size")));
    }

    private static JsonNode requireMessage(JsonNode body) {
        JsonNode message = Nodes.object(body, "message");
        if (message == null) {
            throw new MalformedWebhookException("`message` object is required for message events");
        }
        return message;
    }
}
