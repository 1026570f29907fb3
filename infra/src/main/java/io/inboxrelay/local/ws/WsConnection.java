package io.inboxrelay.local.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One open WebSocket connection and what API Gateway remembers about it: when it connected, who
 * it is (source IP, user agent), what the authorizer said, and when it was last active.
 */
final class WsConnection {

    final String connectionId;
    final Instant connectedAt;
    final String sourceIp;
    final String userAgent;
    final String domainName;
    final Map<String, List<String>> headers;
    /** principalId and the authorizer's context, as API Gateway passes them to every route; null without an authorizer. */
    final ObjectNode authorizer;
    volatile Instant lastActiveAt;
    volatile Session session;
    /** Held while one message's frames are queued, so two messages' frames never interleave. */
    final Object writeLock = new Object();
    /** Bytes accepted for this client and not yet written to its socket. */
    final AtomicLong buffered = new AtomicLong();
    private final AtomicBoolean ended = new AtomicBoolean();

    WsConnection(String connectionId, Instant connectedAt, String sourceIp, String userAgent, String domainName,
                 Map<String, List<String>> headers, ObjectNode authorizer) {
        this.connectionId = connectionId;
        this.connectedAt = connectedAt;
        this.sourceIp = sourceIp;
        this.userAgent = userAgent;
        this.domainName = domainName;
        this.headers = headers;
        this.authorizer = authorizer;
        this.lastActiveAt = connectedAt;
    }

    void touch() {
        lastActiveAt = Instant.now();
    }

    /** True the first time only: the stack or the socket ended this connection, and $disconnect is due once. */
    boolean end() {
        return ended.compareAndSet(false, true);
    }

    boolean ended() {
        return ended.get();
    }
}
