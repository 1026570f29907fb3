package io.inboxrelay.core.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.MessageChange;
import io.inboxrelay.core.SessionUpdate;
import io.inboxrelay.core.StatusUpdate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Builds the server → browser envelopes of DESIGN.md, the shape a CRM frontend expects. */
public final class Envelopes {

    private Envelopes() {
    }

    /**
     * Text pushed in a {@code new_message}: beyond it the event carries a preview and
     * {@code "truncated": true}, and the read API has the full text. 4,096 characters are at most
     * 16 KB of UTF-8, so with the other fields an event stays inside one 32 KB API Gateway frame
     * (and far inside its 128 KB message limit).
     */
    public static final int PUSHED_TEXT_CHARS = 4_096;
    /** Names, file names and other short fields a gateway could fill with anything. */
    static final int PUSHED_FIELD_CHARS = 512;

    public static PushEvent newMessage(String tenantId, String sessionId, String cursor, InboundMessage message) {
        return newMessage(tenantId, sessionId, cursor, message, null);
    }

    /**
     * @param clientId the id the sending page gave an agent's reply (its optimistic bubble matches on it), or null for
     *                 a message that came from the gateway
     */
    public static PushEvent newMessage(String tenantId, String sessionId, String cursor, InboundMessage message, String clientId) {
        ObjectNode body = header("new_message", cursor, tenantId);
        body.put("session_id", sessionId);
        body.put("lead_id", message.contact().contactId());
        body.put("conversation_id", message.conversationId());
        ObjectNode payload = body.putObject("message");
        payload.put("id", message.messageId());
        payload.put("kind", message.kind().wireName());
        String content = cut(message.content(), PUSHED_TEXT_CHARS);
        payload.put("content", content);
        if (content.length() < message.content().length()) {
            payload.put("truncated", true);
        }
        payload.put("sender", message.direction().wireName());
        payload.put("phone", message.contact().phone());
        payload.put("name", cut(message.contact().name(), PUSHED_FIELD_CHARS));
        payload.put("timestamp", iso(message.timestamp()));
        payload.put("status", message.status().wireName());
        if (clientId != null) {
            payload.put("client_id", clientId);
        }
        payload.put("group", message.group());
        if (message.media() != null) {
            payload.set("media", MessageJson.media(message.media()));
        }
        payload.setAll(MessageJson.details(message.details()));
        return new PushEvent(tenantId, cursor, "new_message", Channel.MESSAGES, Json.write(body), message.timestamp());
    }

    /**
     * Tells the tenant's browsers that events were lost on the way to them (the fan-out gave up on
     * a stream record): they reload through the read API. It is an event like the others, in the
     * log, so a browser that was offline meets it on {@code resume} too.
     */
    public static PushEvent resyncRequired(String tenantId, String cursor, String reason) {
        ObjectNode body = header("resync_required", cursor, tenantId);
        body.put("reason", reason);
        return new PushEvent(tenantId, cursor, "resync_required", Channel.MESSAGES, Json.write(body), null);
    }

    /**
     * Two conversations turned out to be one person (an {@code @lid} and its phone, a Meta user id and
     * its {@code wa_id}, an old and a new number): {@code from} is gone, its messages are in {@code into}.
     */
    public static PushEvent conversationMerged(String tenantId, String cursor, String from, String into) {
        ObjectNode body = header("conversation_merged", cursor, tenantId);
        body.put("from", from);
        body.put("into", into);
        return new PushEvent(tenantId, cursor, "conversation_merged", Channel.MESSAGES, Json.write(body), null);
    }

    /** The conversation's state after a change, with {@code version} so clients keep the newest. */
    public static PushEvent conversationUpdated(String tenantId, String cursor, ConversationState state) {
        ObjectNode body = header("conversation_updated", cursor, tenantId);
        body.put("conversation_id", state.conversationId());
        body.put("lead_id", state.contactId());
        body.put("name", state.name());
        body.put("phone", state.phone());
        body.put("group", state.group());
        body.put("unread_count", state.unreadCount());
        body.put("version", state.version());
        if (state.lastMessageId() != null) {
            ObjectNode last = body.putObject("last_message");
            last.put("id", state.lastMessageId());
            last.put("content", state.lastMessageText());
            last.put("sender", state.lastMessageSender());
            last.put("timestamp", state.lastMessageAt() == null ? null : iso(state.lastMessageAt()));
        }
        return new PushEvent(tenantId, cursor, "conversation_updated", Channel.MESSAGES, Json.write(body), null);
    }

    /**
     * A reaction, edit or deletion of an earlier message (docs/MESSAGE-KINDS.md section 2): {@code message_id}
     * is the target; {@code reaction} only for reactions (a null emoji: removed), {@code content} only for edits.
     */
    public static PushEvent messageUpdated(String tenantId, String sessionId, String cursor, MessageChange change,
            String conversationId) {
        ObjectNode body = header("message_updated", cursor, tenantId);
        body.put("session_id", sessionId);
        body.put("conversation_id", conversationId);
        body.put("message_id", change.targetMessageId());
        body.put("change", change.type().wireName());
        if (change.type() == MessageChange.ChangeType.REACTION) {
            ObjectNode reaction = body.putObject("reaction");
            reaction.put("emoji", change.emoji());
            reaction.put("sender", change.actor().wireName());
        }
        if (change.type() == MessageChange.ChangeType.EDIT) {
            body.put("content", cut(change.newText(), PUSHED_TEXT_CHARS));
        }
        body.put("timestamp", iso(change.timestamp()));
        return new PushEvent(tenantId, cursor, "message_updated", Channel.MESSAGES, Json.write(body), change.timestamp());
    }

    public static PushEvent messageStatus(String tenantId, String cursor, StatusUpdate update, String conversationId) {
        return messageStatus(tenantId, cursor, update, conversationId, null);
    }

    /** @param code why a send failed, in a word a page can switch on ({@code outside_window}, {@code timeout}, …), or null */
    public static PushEvent messageStatus(String tenantId, String cursor, StatusUpdate update, String conversationId, String code) {
        ObjectNode body = header("message_status", cursor, tenantId);
        body.put("message_id", update.messageId());
        body.put("conversation_id", conversationId);
        body.put("status", update.status().wireName());
        if (update.reason() != null) {
            body.put("reason", update.reason());
        }
        if (code != null) {
            body.put("code", code);
        }
        body.put("timestamp", iso(update.timestamp()));
        return new PushEvent(tenantId, cursor, "message_status", Channel.STATUSES, Json.write(body), update.timestamp());
    }

    public static PushEvent sessionStatus(String tenantId, String sessionId, String cursor, SessionUpdate update) {
        ObjectNode body = header("session_status", cursor, tenantId);
        body.put("session_id", sessionId);
        body.put("status", update.state().wireName());
        if (update.reason() != null) {
            body.put("reason", update.reason());
        }
        body.put("timestamp", iso(update.timestamp()));
        return new PushEvent(tenantId, cursor, "session_status", Channel.SESSIONS, Json.write(body), update.timestamp());
    }

    /** ISO-8601 in UTC with millisecond precision: what is stored, and what a browser's Date parses. */
    static String iso(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /** The first {@code max} characters, never half an emoji. */
    static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end);
    }

    private static ObjectNode header(String type, String cursor, String tenantId) {
        ObjectNode body = Json.object();
        body.put("type", type);
        body.put("id", cursor);
        body.put("tenant_id", tenantId);
        return body;
    }

    /**
     * A conversation as the list shows it.
     *
     * @param lastMessageAt null when it has no message yet
     */
    public record ConversationState(
            String conversationId,
            String contactId,
            String name,
            String phone,
            boolean group,
            long unreadCount,
            long version,
            String lastMessageId,
            String lastMessageText,
            String lastMessageSender,
            Instant lastMessageAt) {
    }
}
