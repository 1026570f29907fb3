package io.inboxrelay.local.ws;

import java.time.Duration;

/**
 * API Gateway's WebSocket quotas, enforced locally so code that works here works there.
 *
 * @param maxMessageBytes a message over this closes the connection with 1009 (AWS: 128 KB)
 * @param maxFrameBytes   a frame over this closes the connection with 1009 (AWS: 32 KB)
 * @param idleTimeout     a connection silent this long is closed (AWS: 10 minutes)
 * @param maxDuration     no connection lives longer (AWS: 2 hours)
 */
public record WsLimits(long maxMessageBytes, long maxFrameBytes, Duration idleTimeout, Duration maxDuration) {

    public static final WsLimits AWS = new WsLimits(128 * 1024, 32 * 1024, Duration.ofMinutes(10), Duration.ofHours(2));

    public WsLimits withIdleTimeout(Duration value) {
        return new WsLimits(maxMessageBytes, maxFrameBytes, value, maxDuration);
    }

    public WsLimits withMaxDuration(Duration value) {
        return new WsLimits(maxMessageBytes, maxFrameBytes, idleTimeout, value);
    }
}
