package io.inboxrelay.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A reaction, an edit or a deletion of an earlier message: not a new bubble, an update of the target
 * (docs/MESSAGE-KINDS.md section 2).
 *
 * @param changeId        the key that makes the change exactly-once: the change's own message id for a
 *                        reaction; for edits and deletions, which several events of one gateway may report,
 *                        one id derived from the target (see the factory methods)
 * @param targetMessageId bare id of the message changed
 * @param conversationId  the conversation when the payload names it, else null (the stored target's is used)
 * @param actor           who reacted, edited or deleted
 * @param type            what changed
 * @param emoji           a reaction's emoji; null when the reaction was removed
 * @param newText         an edit's new text
 * @param timestamp       when the gateway says it happened
 */
public record MessageChange(
        String changeId,
        String targetMessageId,
        String conversationId,
        Direction actor,
        ChangeType type,
        String emoji,
        String newText,
        Instant timestamp) implements GatewayEvent {

    /** The same change of another message: a reply's gateway id resolved to the reply it names. */
    public MessageChange withTarget(String messageId) {
        return new MessageChange(changeId, messageId, conversationId, actor, type, emoji, newText, timestamp);
    }

    public enum ChangeType {
        REACTION, EDIT, DELETE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param ownId the reaction message's own id; when a gateway sends none, the target, actor and time stand in
     * @param emoji blank or null when the reaction was removed
     */
    public static MessageChange reaction(String ownId, String target, String conversationId, Direction actor, String emoji,
            Instant timestamp) {
        String id = ownId != null ? ownId : "reaction:" + target + ":" + actor.wireName() + ":" + timestamp.toEpochMilli();
        String shown = emoji == null || emoji.isBlank() ? null : emoji;
        return new MessageChange(id, target, conversationId, actor, ChangeType.REACTION, shown, null, timestamp);
    }

    /** One id per target and new text, so the upsert and the {@code messages.edited} of one edit count once. */
    public static MessageChange edit(String target, String conversationId, Direction actor, String newText, Instant timestamp) {
        return new MessageChange("edit:" + target + ":" + digest(newText), target, conversationId, actor, ChangeType.EDIT,
                null, newText, timestamp);
    }

    /** A message is deleted once: every report of it shares one id. */
    public static MessageChange delete(String target, String conversationId, Direction actor, Instant timestamp) {
        return new MessageChange("delete:" + target, target, conversationId, actor, ChangeType.DELETE, null, null, timestamp);
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((text == null ? "" : text).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
