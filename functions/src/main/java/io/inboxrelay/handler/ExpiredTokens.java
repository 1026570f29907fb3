package io.inboxrelay.handler;

import io.inboxrelay.core.realtime.Connection;
import io.inboxrelay.push.Backoff;
import io.inboxrelay.push.ConnectionSender;
import io.inboxrelay.push.ManagementApiSender;
import io.inboxrelay.push.PushCounters;
import java.time.Clock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;

/**
 * A socket must not outlive its token: the routes a browser calls (ping every 30 s, resume, status)
 * close a connection whose token's {@code exp} has passed, after posting it a {@code token_expired}
 * error. DeleteConnection runs {@code $disconnect}, which forgets the connection item.
 */
final class ExpiredTokens {

    private static final Logger LOG = LoggerFactory.getLogger(ExpiredTokens.class);

    private final Function<String, ApiGatewayManagementApiClient> management;
    private final String configuredEndpoint;
    private final Clock clock;

    ExpiredTokens(Function<String, ApiGatewayManagementApiClient> management, String configuredEndpoint, Clock clock) {
        this.management = management;
        this.configuredEndpoint = configuredEndpoint;
        this.clock = clock;
    }

    /** True when the token the socket was opened with has expired: the socket has then been told and closed. */
    boolean closeIfExpired(WebSocketRequest request) {
        return closeIfExpired(request, null);
    }

    /** The same, with a sender the route already has. */
    boolean closeIfExpired(WebSocketRequest request, ConnectionSender sender) {
        if (request.connectionId() == null || !Connection.tokenExpired(request.tokenExpiresAt(), clock.millis())) {
            return false;
        }
        ConnectionSender closer = sender != null ? sender : new ManagementApiSender(
                management.apply(request.managementEndpoint(configuredEndpoint)), Backoff.DEFAULT, new PushCounters());
        closer.closeForExpiredToken(request.connectionId());
        LOG.info("connection closed, token expired tenantId={} connectionId={}", request.tenantId(), request.connectionId());
        return true;
    }
}
