package io.inboxrelay.local.ws;

import java.time.Duration;

/**
 * API Gateway's WebSocket quotas, enforced locally so code that works here works there.
 * Source of the AWS values: "Quotas for configuring and running a WebSocket API in API Gateway",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html
 *
 * @param maxMessageBytes   a message over this closes the connection with 1009, and a {@code PostToConnection}
 *                          over it is refused 413 PayloadTooLargeException (AWS: 128 KB)
 * @param maxFrameBytes     a frame over this closes the connection with 1009; messages sent to the client are
 *                          split into frames of at most this size (AWS: 32 KB)
 * @param idleTimeout       a connection silent this long is closed (AWS: 10 minutes)
 * @param maxDuration       no connection lives longer (AWS: 2 hours)
 * @param clientBufferBytes bytes accepted for a client but not yet written to its socket; beyond them
 *                          {@code PostToConnection} answers 429 LimitExceededException ("the WebSocket client
 *                          side buffer is full"). AWS does not publish the size; 1 MiB here.
 * @param writeTimeout      a message still not written to the client this long after it was accepted means a
 *                          client that stopped reading: the connection is dropped with 1001 and $disconnect runs.
 *                          AWS publishes no write timeout; the nearest published rule is the idle timeout, so
 *                          it defaults to the same 10 minutes.
 * @param closeGrace        how long a client the stack drops (DeleteConnection, write timeout, maximum duration)
 *                          has to read what was queued before its close frame; then its socket is cut (30 s)
 */
public record WsLimits(long maxMessageBytes, long maxFrameBytes, Duration idleTimeout, Duration maxDuration,
                       long clientBufferBytes, Duration writeTimeout, Duration closeGrace) {

    public static final WsLimits AWS = new WsLimits(128 * 1024, 32 * 1024, Duration.ofMinutes(10), Duration.ofHours(2),
            1024 * 1024, Duration.ofMinutes(10), Duration.ofSeconds(30));

    /** The quotas without the ones the local stack adds for slow clients, which then take their defaults. */
    public WsLimits(long maxMessageBytes, long maxFrameBytes, Duration idleTimeout, Duration maxDuration) {
        this(maxMessageBytes, maxFrameBytes, idleTimeout, maxDuration, AWS.clientBufferBytes, AWS.writeTimeout, AWS.closeGrace);
    }

    public WsLimits withIdleTimeout(Duration value) {
        return new WsLimits(maxMessageBytes, maxFrameBytes, value, maxDuration, clientBufferBytes, writeTimeout, closeGrace);
    }

    public WsLimits withMaxDuration(Duration value) {
        return new WsLimits(maxMessageBytes, maxFrameBytes, idleTimeout, value, clientBufferBytes, writeTimeout, closeGrace);
    }

    public WsLimits withClientBufferBytes(long value) {
        return new WsLimits(maxMessageBytes, maxFrameBytes, idleTimeout, maxDuration, value, writeTimeout, closeGrace);
    }

    public WsLimits withCloseGrace(Duration value) {
        return new WsLimits(maxMessageBytes, maxFrameBytes, idleTimeout, maxDuration, clientBufferBytes, writeTimeout, value);
    }

    public WsLimits withWriteTimeout(Duration value) {
        return new WsLimits(maxMessageBytes, maxFrameBytes, idleTimeout, maxDuration, clientBufferBytes, value, closeGrace);
    }
}
