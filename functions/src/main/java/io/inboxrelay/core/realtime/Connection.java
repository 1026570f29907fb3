package io.inboxrelay.core.realtime;

import io.inboxrelay.core.event.Channel;
import java.util.Set;

/**
 * An open WebSocket of a tenant.
 *
 * @param connectedAt epoch millis
 */
public record Connection(String tenantId, String connectionId, String userId, Set<Channel> channels, long connectedAt) {

    public Connection {
        channels = Set.copyOf(channels);
    }

    public boolean wants(Channel channel) {
        return channels.contains(channel);
    }

    /** A {@code resync_required} marker concerns every socket of the tenant, whatever it subscribed to. */
    public boolean receives(StoredEvent event) {
        return StoredEvent.RESYNC_REQUIRED.equals(event.type()) || wants(event.channel());
    }
}
