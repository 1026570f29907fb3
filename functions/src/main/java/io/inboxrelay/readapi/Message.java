package io.inboxrelay.readapi;

import java.time.Instant;
import java.util.Map;

/**
 * One stored message as a conversation pane shows it.
 *
 * @param sender {@code lead} or {@code agent}
 * @param media  the stored media description (never the bytes), or null
 * @param status the latest delivery status, or null
 */
public record Message(
        String id,
        String content,
        String sender,
        String phone,
        String name,
        Instant timestamp,
        Map<String, Object> media,
        String status) {
}
