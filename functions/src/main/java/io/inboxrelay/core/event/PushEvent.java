package io.inboxrelay.core.event;

import java.time.Instant;

/**
 * One event as stored in the events table and pushed to browsers.
 *
 * @param tenantId the tenant whose browsers receive it
 * @param cursor   its id, the resume cursor
 * @param type     {@code new_message}, {@code conversation_updated}, {@code message_status} or {@code session_status}
 * @param channel  the channel it is pushed on
 * @param body       the exact JSON pushed (contains {@code type}, {@code id} = cursor and {@code tenant_id})
 * @param occurredAt when it happened by the gateway's clock (the push delay is measured from it), or null
 */
public record PushEvent(String tenantId, String cursor, String type, Channel channel, String body, Instant occurredAt) {
}
