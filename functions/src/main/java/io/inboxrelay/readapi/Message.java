package io.inboxrelay.readapi;

import java.time.Instant;
import java.util.Map;

/**
 * One stored message as a conversation pane shows it.
 *
 * @param sender {@code lead} or {@code agent}
 * @param media  the stored media description (never the bytes), or null
 * @param status    the latest delivery status, or null
 * @param kind      the message kind's wire name
 * @param details   location, contacts, quoted, … in their JSON field names (empty when none)
 * @param reactions sender ({@code lead}/{@code agent}) → emoji (empty when none)
 * @param edited    edited after it was sent
 * @param deleted   revoked by its author (its text is kept)
 */
public record Message(
        String id,
        String content,
        String sender,
        String phone,
        String name,
        Instant timestamp,
        Map<String, Object> media,
        String status,
        String kind,
        Map<String, Object> details,
        Map<String, String> reactions,
        boolean edited,
        boolean deleted) {
}
