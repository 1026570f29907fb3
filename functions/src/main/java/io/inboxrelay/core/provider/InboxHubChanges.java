package io.inboxrelay.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Direction;
import io.inboxrelay.core.GatewayEvent;
import io.inboxrelay.core.MessageChange;
import io.inboxrelay.core.phone.ChatAddress;
import java.time.Instant;
import java.util.List;

/**
 * The generic format's changes to an earlier message: {@code message.reaction}, {@code message.edited},
 * {@code message.deleted}, and the seed bridge's reactions (a {@code reactionMessage} sent as
 * {@code message.received}).
 */
final class InboxHubChanges {

    private InboxHubChanges() {
    }

    /** {@code message.reaction}: {@code reaction: {emoji, messageId}}; {@code id} is the reaction's own id, if any. */
    static List<GatewayEvent> reaction(JsonNode message, Instant time) {
        if (Nodes.object(message, "key") != null) {
            return BaileysMessages.toEvent(message, false, time).<List<GatewayEvent>>map(List::of).orElse(List.of());
        }
        JsonNode reaction = Nodes.object(message, "reaction");
        String target = Nodes.firstText(reaction, "messageId", "message_id", "id");
        if (target == null) {
            throw new MalformedWebhookException("message.reaction needs `message.reaction.messageId`");
        }
        Direction actor = actor(message, false);
        return List.of(MessageChange.reaction(InboxHubAdapter.messageId(message), target, conversationOf(message, actor),
                actor, Nodes.firstText(reaction, "emoji", "text"), at(message, time)));
    }

    /** {@code message.edited}: {@code id} is the edited message, {@code text} its new text. */
    static List<GatewayEvent> edited(JsonNode message, Instant time) {
        if (Nodes.object(message, "key") != null) {
            return BaileysMessages.toEvent(message, false, time).<List<GatewayEvent>>map(List::of).orElse(List.of());
        }
        String target = requireTarget(message, "message.edited");
        Direction actor = actor(message, false);
        return List.of(MessageChange.edit(target, conversationOf(message, actor), actor,
                Nodes.firstText(message, "text", "content", "body"), at(message, time)));
    }

    /** {@code message.deleted}: {@code id} is the deleted (revoked) message. */
    static List<GatewayEvent> deleted(JsonNode message, Instant time) {
        if (Nodes.object(message, "key") != null) {
            return BaileysMessages.toEvent(message, false, time).<List<GatewayEvent>>map(List::of).orElse(List.of());
        }
        String target = requireTarget(message, "message.deleted");
        Direction actor = actor(message, false);
        return List.of(MessageChange.delete(target, conversationOf(message, actor), actor, at(message, time)));
    }

    /** The seed's {@code {reactionMessage: {key, text, senderTimestampMs}}}: the chat is the key's. */
    static List<GatewayEvent> seedReaction(JsonNode message, boolean sent, Instant time) {
        JsonNode reaction = Nodes.object(message, "reactionMessage");
        JsonNode key = Nodes.object(reaction, "key");
        Direction actor = actor(message, sent);
        String conversationId = ChatAddress.conversationIdOf(Nodes.text(key, "remoteJid"), Nodes.text(key, "remoteJidAlt"));
        return BaileysMessages.reaction(reaction, null, conversationId, actor, time).<List<GatewayEvent>>map(List::of)
                .orElse(List.of());
    }

    private static String requireTarget(JsonNode message, String event) {
        String target = InboxHubAdapter.messageId(message);
        if (target == null) {
            throw new MalformedWebhookException(event + " needs `message.id`, the id of the message changed");
        }
        return target;
    }

    private static Direction actor(JsonNode message, boolean sent) {
        Boolean fromMe = Nodes.firstBool(message, InboxHubAdapter.FROM_ME_FIELDS);
        return (fromMe != null ? fromMe : sent) ? Direction.AGENT : Direction.LEAD;
    }

    private static String conversationOf(JsonNode message, Direction actor) {
        String phone = Nodes.firstText(message, InboxHubAdapter.PHONE_FIELDS);
        String chat = BaileysMessages.firstText(Nodes.firstText(message, InboxHubAdapter.CHAT_FIELDS),
                BaileysMessages.firstText(Nodes.text(message, actor == Direction.AGENT ? "to" : "from"), phone));
        return chat == null ? null : ChatAddress.conversationIdOf(chat, phone);
    }

    private static Instant at(JsonNode message, Instant time) {
        Instant given = Nodes.instant(Nodes.field(message, "timestamp"));
        return given != null ? given : time;
    }
}
