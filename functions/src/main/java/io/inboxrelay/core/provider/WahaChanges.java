package io.inboxrelay.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Direction;
import io.inboxrelay.core.GatewayEvent;
import io.inboxrelay.core.MessageChange;
import io.inboxrelay.core.phone.ChatAddress;
import java.time.Instant;
import java.util.List;

/**
 * WAHA's {@code message.reaction} ({@code reaction: {text, messageId}}), {@code message.revoked}
 * ({@code revokedMessageId}, {@code before}, {@code after}) and {@code message.edited} ({@code editedMessageId},
 * {@code body}): changes to an earlier message, whose ids WAHA may send serialised ({@code false_<chat>_<id>}).
 */
final class WahaChanges {

    private WahaChanges() {
    }

    static List<GatewayEvent> reaction(JsonNode payload, Instant sentAt) {
        JsonNode reaction = Nodes.object(payload, "reaction");
        String target = WahaAdapter.bareId(Nodes.text(reaction, "messageId"));
        if (target == null) {
            throw new MalformedWebhookException("message.reaction needs `payload.reaction.messageId`");
        }
        return List.of(MessageChange.reaction(WahaAdapter.bareId(Nodes.text(payload, "id")), target,
                conversationOf(payload), actor(payload), Nodes.text(reaction, "text"), time(payload, sentAt)));
    }

    static List<GatewayEvent> revoked(JsonNode payload, Instant sentAt) {
        JsonNode message = BaileysMessages.firstNode(Nodes.object(payload, "after"), Nodes.object(payload, "before"));
        String target = WahaAdapter.bareId(BaileysMessages.firstText(Nodes.text(payload, "revokedMessageId"),
                Nodes.text(Nodes.object(payload, "before"), "id")));
        if (target == null) {
            throw new MalformedWebhookException("message.revoked needs `payload.revokedMessageId` or `payload.before.id`");
        }
        return List.of(MessageChange.delete(target, conversationOf(message), actor(message), time(message, sentAt)));
    }

    static List<GatewayEvent> edited(JsonNode payload, Instant sentAt) {
        String target = WahaAdapter.bareId(Nodes.text(payload, "editedMessageId"));
        if (target == null) {
            throw new MalformedWebhookException("message.edited needs `payload.editedMessageId`");
        }
        return List.of(MessageChange.edit(target, conversationOf(payload), actor(payload), Nodes.text(payload, "body"),
                time(payload, sentAt)));
    }

    private static String conversationOf(JsonNode message) {
        if (message == null) {
            return null;
        }
        String chat = WahaAdapter.chatOf(message, actor(message) == Direction.AGENT);
        String alt = Nodes.text(Nodes.object(Nodes.object(message, "_data"), "key"), "remoteJidAlt");
        return chat == null ? null : ChatAddress.conversationIdOf(chat, alt);
    }

    private static Direction actor(JsonNode message) {
        return WahaAdapter.fromMe(message) ? Direction.AGENT : Direction.LEAD;
    }

    private static Instant time(JsonNode message, Instant sentAt) {
        Instant at = Nodes.instant(Nodes.field(message, "timestamp"));
        return at != null ? at : sentAt;
    }
}
