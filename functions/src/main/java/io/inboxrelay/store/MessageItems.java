package io.inboxrelay.store;

import io.inboxrelay.core.Direction;
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
    /** The message kind's wire name (docs/MESSAGE-KINDS.md); absent on items older than kinds (read as text or media). */
    public static final String KIND = "kind";
    /** Location, contacts, quoted message, …: one map in the read API's own field names. */
    public static final String DETAILS = "details";
    /** A reaction per side: the lead's and the agent's emoji (a removal deletes the attribute). */
    public static final String REACTION_LEAD = "reactionLead";
    public static final String REACTION_AGENT = "reactionAgent";
    public static final String EDITED = "edited";
    public static final String EDITED_AT = "editedAt";
    public static final String DELETED = "deleted";
    public static final String DELETED_AT = "deletedAt";
    /** Marker items of applied changes: {@code <tenant>#change#<changeId>}, never listed (no conversation key). */
    public static final String CHANGE_OF = "changeOf";
    public static final String APPLIED_AT = "appliedAt";
    public static final String CONVERSATION_INDEX = "conversation-index";
    /** Sent by an agent through the send API: the page's id of it ({@code out-<clientId>} is the message id). */
    public static final String CLIENT_ID = "clientId";
    /** The message id of the message an agent's reply quotes. */
    public static final String REPLY_TO = "replyTo";
    /** When the send job went to the outbox; absent: a repeated request with the same client id enqueues it. */
    public static final String ENQUEUED_AT = "enqueuedAt";
    /** Gateway calls the sender made for it (a retryable failure is tried again while fewer than the limit). */
    public static final String SEND_ATTEMPTS = "sendAttempts";
    /** Why a send failed, as a code a page can switch on ({@code outside_window}, {@code timeout}, …). */
    public static final String STATUS_CODE = "statusCode";
    /** The message id prefix of an agent's reply: {@code out-<clientId>}. */
    public static final String OUTGOING_PREFIX = "out-";

    private MessageItems() {
    }

    public static String pk(String tenantId, String messageId) {
        return tenantId + "#" + messageId;
    }

    /** The marker that a change was applied: its own key, so a redelivered change fails its condition. */
    public static String changePk(String tenantId, String changeId) {
        return tenantId + "#change#" + changeId;
    }

    public static String reactionAttribute(Direction sender) {
        return sender == Direction.AGENT ? REACTION_AGENT : REACTION_LEAD;
    }

    public static String conversationKey(String tenantId, String conversationId) {
        return tenantId + "#" + conversationId;
    }

    public static String sortKey(Instant timestamp, String messageId) {
        return String.format("%013d#%s", Math.max(0, timestamp.toEpochMilli()), messageId);
    }
}
