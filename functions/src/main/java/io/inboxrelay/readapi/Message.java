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
 * @param clientId     the id the sending page gave an agent's reply, or null
 * @param statusReason why a send failed, in the gateway's words, or null
 * @param statusCode   why a send failed, as a code ({@code outside_window}, {@code timeout}, …), or null
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
        boolean deleted,
        String clientId,
        String statusReason,
        String statusCode) {
}
