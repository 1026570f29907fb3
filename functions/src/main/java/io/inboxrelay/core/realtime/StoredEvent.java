package io.inboxrelay.core.realtime;

import io.inboxrelay.core.event.Channel;

/**
 * A pushable event as the events table holds it.
 *
 * @param body      the exact JSON pushed to browsers (already carrying {@code id} = cursor and {@code tenant_id})
 * @param createdAt epoch millis the push delay runs from: the gateway's timestamp, else when it was stored
 */
public record StoredEvent(String tenantId, String cursor, String type, Channel channel, String body, long createdAt) {

    /** The type of the marker left when the fan-out gave up on an event: browsers reload through the read API. */
    public static final String RESYNC_REQUIRED = "resync_required";
}
