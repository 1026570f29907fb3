package io.inboxrelay.store;

import java.time.Instant;

/** Conversation items of ConversationsTable (README data model). */
public final class ConversationItems {

    public static final String TENANT_ID = "tenantId";
    public static final String CONVERSATION_ID = "conversationId";
    public static final String CONTACT_ID = "contactId";
    public static final String NAME = "name";
    public static final String PHONE = "phone";
    public static final String GROUP = "group";
    public static final String UNREAD_COUNT = "unreadCount";
    public static final String VERSION = "version";
    /** Messages filed under the conversation: +1 by each message, -1 by each move of a merge. */
    public static final String MESSAGE_COUNT = "messageCount";
    public static final String LAST_MESSAGE_ID = "lastMessageId";
    public static final String LAST_MESSAGE_TEXT = "lastMessageText";
    public static final String LAST_MESSAGE_SENDER = "lastMessageSender";
    public static final String LAST_MESSAGE_AT = "lastMessageAt";
    public static final String LAST_MESSAGE_SORT = "lastMessageSort";
    /** The session the conversation's latest message came through: where a reply goes out (absent on older items). */
    public static final String SESSION_ID = "sessionId";
    public static final String RECENT_INDEX = "recent-index";

    private ConversationItems() {
    }

    public static String lastMessageSort(Instant at, String conversationId) {
        return String.format("%013d#%s", Math.max(0, at.toEpochMilli()), conversationId);
    }
}
