package io.inboxrelay.readapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.event.Envelopes.ConversationState;

/** The REST read API's JSON: the same field names as the pushed events, so a page renders both alike. */
public final class ReadApiJson {

    private ReadApiJson() {
    }

    /**
     * @param cursor where this answer stands in the event log: a browser's first {@code resume}
     *               starts from it (the server's clock, never the browser's)
     */
    public static ObjectNode conversations(Page<ConversationState> page, String cursor) {
        ObjectNode root = Json.object();
        ArrayNode items = root.putArray("conversations");
        page.items().forEach(conversation -> putConversation(items.addObject(), conversation));
        root.put("next", page.next());
        root.put("cursor", cursor);
        return root;
    }

    public static ObjectNode conversation(ConversationState conversation) {
        ObjectNode root = Json.object();
        putConversation(root, conversation);
        return root;
    }

    public static ObjectNode messages(String conversationId, Page<Message> page) {
        ObjectNode root = Json.object();
        root.put("conversation_id", conversationId);
        ArrayNode items = root.putArray("messages");
        page.items().forEach(message -> putMessage(items.addObject(), message));
        root.put("next", page.next());
        return root;
    }

    static void putConversation(ObjectNode node, ConversationState conversation) {
        node.put("conversation_id", conversation.conversationId());
        node.put("lead_id", conversation.contactId());
        node.put("name", conversation.name());
        node.put("phone", conversation.phone());
        node.put("group", conversation.group());
        node.put("unread_count", conversation.unreadCount());
        node.put("version", conversation.version());
        if (conversation.lastMessageId() == null) {
            node.putNull("last_message");
            return;
        }
        ObjectNode last = node.putObject("last_message");
        last.put("id", conversation.lastMessageId());
        last.put("content", conversation.lastMessageText());
        last.put("sender", conversation.lastMessageSender());
        last.put("timestamp", conversation.lastMessageAt() == null ? null : conversation.lastMessageAt().toString());
    }

    /** One message as {@link #messages} lists it. */
    public static ObjectNode message(Message message) {
        ObjectNode node = Json.object();
        putMessage(node, message);
        return node;
    }

    static void putMessage(ObjectNode node, Message message) {
        node.put("id", message.id());
        node.put("kind", message.kind());
        node.put("content", message.content());
        node.put("sender", message.sender());
        node.put("phone", message.phone());
        node.put("name", message.name());
        node.put("timestamp", message.timestamp() == null ? null : message.timestamp().toString());
        if (message.status() != null) {
            node.put("status", message.status());
        }
        if (message.statusReason() != null) {
            node.put("status_reason", message.statusReason());
        }
        if (message.statusCode() != null) {
            node.put("status_code", message.statusCode());
        }
        if (message.clientId() != null) {
            node.put("client_id", message.clientId());
        }
        if (message.media() != null) {
            node.set("media", Json.MAPPER.valueToTree(message.media()));
        }
        message.details().forEach((field, value) -> node.set(field, Json.MAPPER.valueToTree(value)));
        if (!message.reactions().isEmpty()) {
            node.set("reactions", Json.MAPPER.valueToTree(message.reactions()));
        }
        if (message.edited()) {
            node.put("edited", true);
        }
        if (message.deleted()) {
            node.put("deleted", true);
        }
    }
}
