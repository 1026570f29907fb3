package io.inboxrelay.store;

import java.time.Instant;

/** Message items of MessagesTable (README data model). */
public final class MessageItems {

    public static final String PK = "pk";
    public static final String MESSAGE_ID = "messageId";
    public static final String PROVIDER_MESSAGE_ID = "providerMessageId";
    public static final String SESSION_ID = "sessionId";
    public static final String CONVERSATION_KEY = "conversationKey";
    public static final String CONVERSATION_ID = "conversationId";
    public static final String SORT_KEY = "sortKey";
    public static final String DIRECTION = "direction";
    public static final String CONTACT_ID = "contactId";
    public static final String PHONE = "phone";
    public static final String ORIGINAL_ID = "originalId";
    public static final String NAME = "name";
    public static final String TEXT = "text";
    public static final String MEDIA = "media";
    public static final String GROUP = "group";
    public static final String TIMESTAMP = "timestamp";
    public static final String STATUS = "status";
    public static final String STATUS_RANK = "statusRank";
    public static final String STATUS_AT = "statusAt";
    public static final String STATUS_REASON = "statusReason";
    public static final String STORED_AT = "storedAt";
    public static final String CONVERSATION_INDEX = "conversation-index";

    private MessageItems() {
    }

    public static String pk(String tenantId, String messageId) {
        return tenantId + "#" + messageId;
    }

    public static String conversationKey(String tenantId, String conversationId) {
        return tenantId + "#" + conversationId;
    }

    public static String sortKey(Instant timestamp, String messageId) {
        return String.format("%013d#%s", Math.max(0, timestamp.toEpochMilli()), messageId);
    }
}
