package io.inboxrelay.readapi;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Writes conversation and message items in the shape README's data model gives them. */
final class Seed {

    private final DynamoDbClient dynamo;

    Seed(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    void conversation(String tenantId, String conversationId, String name, long unread, long version, String lastId, String lastText, Instant lastAt) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("tenantId", s(tenantId));
        item.put("conversationId", s(conversationId));
        item.put("contactId", s(conversationId));
        item.put("phone", s("+" + conversationId.replaceAll("\\D", "")));
        item.put("name", s(name));
        item.put("group", AttributeValue.fromBool(false));
        item.put("lastMessageId", s(lastId));
        item.put("lastMessageText", s(lastText));
        item.put("lastMessageAt", n(lastAt.toEpochMilli()));
        item.put("lastMessageSender", s("lead"));
        item.put("lastMessageSort", s(String.format("%013d#%s", lastAt.toEpochMilli(), conversationId)));
        item.put("unreadCount", n(unread));
        item.put("version", n(version));
        dynamo.putItem(r -> r.tableName("ConversationsTable").item(item));
    }

    void message(String tenantId, String conversationId, String messageId, String text, Instant at) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(tenantId + "#" + messageId));
        item.put("tenantId", s(tenantId));
        item.put("messageId", s(messageId));
        item.put("conversationKey", s(tenantId + "#" + conversationId));
        item.put("conversationId", s(conversationId));
        item.put("sortKey", s(String.format("%013d#%s", at.toEpochMilli(), messageId)));
        item.put("direction", s("lead"));
        item.put("contactId", s(conversationId));
        item.put("phone", s("+573001112233"));
        item.put("name", s("Ana"));
        item.put("text", s(text));
        item.put("timestamp", n(at.toEpochMilli()));
        item.put("status", s("delivered"));
        item.put("storedAt", n(at.toEpochMilli()));
        dynamo.putItem(r -> r.tableName("MessagesTable").item(item));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
