package io.inboxrelay.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Direction;
import io.inboxrelay.core.GatewayEvent;
import io.inboxrelay.core.MessageChange;
import io.inboxrelay.core.MessageStatus;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.SessionState;
import io.inboxrelay.core.SessionUpdate;
import io.inboxrelay.core.StatusUpdate;
import io.inboxrelay.core.WebhookRequest;
import io.inboxrelay.core.phone.ChatAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Evolution API v2: {@code {event, instance, data, date_time, sender, ...}}. The event comes from the
 * {@code event} field or, with "webhook by events", from the URL suffix. Evolution's {@code date_time}
 * may carry a wrong zone, so receipts and session changes are stamped with the time received.
 */
public final class EvolutionAdapter implements ProviderAdapter {

    @Override
    public Provider provider() {
        return Provider.EVOLUTION;
    }

    @Override
    public ParsedWebhook parse(WebhookRequest request, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new MalformedWebhookException("expected a JSON object");
        }
        String event = EventNames.fold(Nodes.text(body, "event"));
        if (event == null) {
            event = EventNames.fold(request == null ? null : request.eventSuffix());
        }
        if (event == null) {
            throw new MalformedWebhookException("no event: expected an `event` field or a /webhooks/{sessionId}/{event} suffix");
        }
        JsonNode data = Nodes.field(body, "data");
        Instant received = ReceivedTime.of(request);
        List<GatewayEvent> events = switch (event) {
            case "messages.upsert" -> messages(data, false, received);
            case "send.message" -> messages(data, true, received);
            case "messages.update" -> statuses(data, received);
            case "messages.edited" -> edited(requireObject(data), received);
            case "messages.delete" -> deleted(requireObject(data), received);
            case "connection.update" -> connection(requireObject(data), received);
            case "qrcode.updated" -> List.of(new SessionUpdate(SessionState.QR, null, received));
            default -> List.of();
        };
        return new ParsedWebhook(event, events);
    }

    private static List<GatewayEvent> messages(JsonNode data, boolean sent, Instant received) {
        List<GatewayEvent> events = new ArrayList<>();
        for (JsonNode message : elements(data, "messages")) {
            BaileysMessages.toEvent(message, sent, received).ifPresent(events::add);
        }
        return events;
    }

    private static List<GatewayEvent> statuses(JsonNode data, Instant received) {
        List<GatewayEvent> events = new ArrayList<>();
        for (JsonNode update : elements(data, "updates")) {
            JsonNode key = Nodes.object(update, "key");
            // Evolution flattens Baileys' {key, update:{status}}; older builds passed it through.
            String messageId = BaileysMessages.firstText(Nodes.text(update, "keyId"), Nodes.text(key, "id"));
            JsonNode statusNode = Nodes.field(update, "status");
            if (statusNode == null) {
                statusNode = Nodes.field(Nodes.object(update, "update"), "status");
            }
            MessageStatus status = BaileysMessages.status(statusNode);
            if (messageId == null) {
                throw new MalformedWebhookException("messages.update needs `data.keyId`");
            }
            String remoteJid = BaileysMessages.firstText(Nodes.text(update, "remoteJid"), Nodes.text(key, "remoteJid"));
            String conversationId = ChatAddress.conversationIdOf(remoteJid, Nodes.text(key, "remoteJidAlt"));
            if (status == null) {
                // Not a receipt. Evolution 2.3.0-2.3.4 names every Baileys update without a status `DELETED`
                // (`status[update.status] ?? 'DELETED'`): edits (issue #2010), poll votes, decryption retries. It is
                // never a revocation, which Evolution reports as `messages.delete` (and `messages.edited`) instead.
                // Only an update that carries the edited message is applied; a bare one says nothing to apply.
                editIn(update, messageId, conversationId, received).ifPresent(events::add);
                continue;
            }
            String reason = status == MessageStatus.FAILED ? "ERROR" : null;
            events.add(new StatusUpdate(messageId, conversationId, status, reason, received));
        }
        return events;
    }

    /**
     * The edit a {@code messages.update} without a receipt carries, when it carries one: Baileys' update
     * {@code message: {editedMessage: {message: …}}} (a {@code protocolMessage} MESSAGE_EDIT or the new content), flattened
     * beside {@code keyId} or in Baileys' own {@code {key, update}}, or an {@code editedMessage} beside the key.
     */
    private static Optional<GatewayEvent> editIn(JsonNode update, String target, String conversationId,
            Instant received) {
        if (Nodes.field(update, "pollUpdates") != null) {
            return Optional.empty(); // a poll vote
        }
        JsonNode message = BaileysMessages.firstNode(Nodes.object(update, "message"),
                Nodes.object(Nodes.object(update, "update"), "message"));
        JsonNode edited = BaileysMessages.firstNode(Nodes.object(message, "editedMessage"), Nodes.object(update, "editedMessage"));
        if (edited == null) {
            return Optional.empty();
        }
        JsonNode inner = Nodes.object(edited, "message");
        JsonNode content = inner != null ? BaileysMessages.unwrap(inner) : edited;
        JsonNode protocol = Nodes.object(content, "protocolMessage");
        JsonNode key = Nodes.object(update, "key");
        Direction actor = actor(key != null ? key : update);
        if (protocol != null) {
            return BaileysMessages.protocolChange(protocol, conversationId, actor, received).map(GatewayEvent.class::cast);
        }
        String text = BaileysContent.textOf(content);
        return text == null ? Optional.empty()
                : Optional.of(MessageChange.edit(target, conversationId, actor, text, received));
    }

    /**
     * {@code messages.edited}: Evolution forwards the Baileys {@code protocolMessage} itself, {@code {key, type,
     * editedMessage, timestampMs}}, for edits and for revocations alike.
     */
    private static List<GatewayEvent> edited(JsonNode protocol, Instant received) {
        JsonNode key = Nodes.object(protocol, "key");
        String conversationId = ChatAddress.conversationIdOf(Nodes.text(key, "remoteJid"), Nodes.text(key, "remoteJidAlt"));
        return BaileysMessages.protocolChange(protocol, conversationId, actor(key), received)
                .<List<GatewayEvent>>map(List::of).orElse(List.of());
    }

    /** {@code messages.delete}: the revoked message's Baileys key, or the stored message with that key under {@code key}. */
    private static List<GatewayEvent> deleted(JsonNode data, Instant received) {
        JsonNode key = Nodes.object(data, "key");
        if (key == null) {
            key = data;
        }
        String target = Nodes.text(key, "id");
        if (target == null) {
            throw new MalformedWebhookException("messages.delete needs the message key's `id`");
        }
        String conversationId = ChatAddress.conversationIdOf(Nodes.text(key, "remoteJid"), Nodes.text(key, "remoteJidAlt"));
        return List.of(MessageChange.delete(target, conversationId, actor(key), received));
    }

    /** Only the author can revoke or edit a message: its key's {@code fromMe} says who that was. */
    private static Direction actor(JsonNode key) {
        return Boolean.TRUE.equals(Nodes.bool(key, "fromMe")) ? Direction.AGENT : Direction.LEAD;
    }

    private static List<GatewayEvent> connection(JsonNode data, Instant received) {
        String state = Nodes.text(data, "state");
        if (state == null) {
            state = Nodes.text(data, "connection");
        }
        SessionState canonical = state == null ? null : switch (state.toLowerCase(Locale.ROOT)) {
            case "open" -> SessionState.CONNECTED;
            case "connecting" -> SessionState.CONNECTING;
            case "close", "refused" -> SessionState.DISCONNECTED;
            default -> null;
        };
        if (canonical == null) {
            return List.of();
        }
        String reason = canonical == SessionState.DISCONNECTED ? Nodes.text(data, "statusReason") : null;
        if (canonical == SessionState.DISCONNECTED && "refused".equalsIgnoreCase(state) && reason == null) {
            reason = "refused";
        }
        return List.of(new SessionUpdate(canonical, reason, received));
    }

    private static JsonNode requireObject(JsonNode data) {
        if (data == null || !data.isObject()) {
            throw new MalformedWebhookException("expected a `data` object");
        }
        return data;
    }

    /** {@code data} is one object, an array of them, or an object holding them in an array field. */
    private static List<JsonNode> elements(JsonNode data, String arrayField) {
        if (data != null && data.isArray()) {
            List<JsonNode> all = new ArrayList<>();
            data.forEach(all::add);
            return all;
        }
        JsonNode object = requireObject(data);
        JsonNode nested = Nodes.field(object, arrayField);
        if (nested != null && nested.isArray()) {
            return Nodes.array(object, arrayField);
        }
        return List.of(object);
    }
}
