package io.inboxrelay.core.realtime;

import io.inboxrelay.core.event.Channel;
import java.util.Set;

/**
 * An open WebSocket of a tenant.
 *
 * @param connectedAt    epoch millis
 * @param tokenExpiresAt the {@code exp} of the token it was opened with, epoch seconds (0: unknown); the
 *                       socket is closed once it passes
 */
public record Connection(String tenantId, String connectionId, String userId, Set<Channel> channels, long connectedAt,
                         long tokenExpiresAt) {

    public Connection {
        channels = Set.copyOf(channels);
    }

    public Connection(String tenantId, String connectionId, String userId, Set<Channel> channels, long connectedAt) {
        this(tenantId, connectionId, userId, channels, connectedAt, 0);
    }

    /** True once the token's {@code exp} has passed (no leeway: the authorizer's skew allowance was for the issuer's clock). */
    public boolean tokenExpired(long nowMillis) {
        return tokenExpired(tokenExpiresAt, nowMillis);
    }

    public static boolean tokenExpired(long tokenExpiresAt, long nowMillis) {
        return tokenExpiresAt > 0 && nowMillis >= tokenExpiresAt * 1000;
    }

    public boolean wants(Channel channel) {
        return channels.contains(channel);
    }

    /** A {@code resync_required} marker concerns every socket of the tenant, whatever it subscribed to. */
    public boolean receives(StoredEvent event) {
        return StoredEvent.RESYNC_REQUIRED.equals(event.type()) || wants(event.channel());
    }
}
