package io.inboxrelay.local.ws;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Writes to a client what API Gateway writes: route answers and {@code PostToConnection} data, each as one
 * WebSocket message, never holding the caller while the client reads.
 *
 * <p>Frames. A message over the 32 KB frame quota goes out as one message in frames of at most 32 KB
 * (a text frame, then continuation frames), cut between characters. AWS: "Because of the WebSocket frame
 * size quota of 32 KB, a message larger than 32 KB must be split into multiple frames, each 32 KB or
 * smaller. This applies to @connections commands." (the quotas page cited in {@link WsLimits}).
 *
 * <p>Clients that stop reading. What AWS documents is that {@code PostToConnection} answers
 * {@code 429 LimitExceededException} when "the WebSocket client side buffer is full"
 * (https://docs.aws.amazon.com/AWSJavaSDK/latest/javadoc/com/amazonaws/services/apigatewaymanagementapi/model/LimitExceededException.html),
 * that is, it buffers for the client and refuses more instead of waiting for it. So data is queued and
 * the caller answered at once; beyond {@link WsLimits#clientBufferBytes()} queued and unwritten bytes the
 * answer is {@link Outcome#BUFFER_FULL}. AWS publishes no write timeout; a message still unwritten after
 * {@link WsLimits#writeTimeout()} (by default the 10-minute idle timeout, the nearest published rule) drops
 * the connection with 1001 "Going away", the code AWS closes idle connections with.
 */
final class SocketWriter {

    /** What happened to a message handed to {@link #send}. */
    enum Outcome { ACCEPTED, BUFFER_FULL, GONE }

    /** Ends a connection from the stack's side: the socket is closed with the code, $disconnect runs. */
    interface Dropper {
        void drop(WsConnection connection, int code, String reason);
    }

    static final int GOING_AWAY = 1001;
    static final String GOING_AWAY_REASON = "Going away";

    private final WsLimits limits;
    private final ScheduledExecutorService timers;
    private final Dropper dropper;

    SocketWriter(WsLimits limits, ScheduledExecutorService timers, Dropper dropper) {
        this.limits = limits;
        this.timers = timers;
        this.dropper = dropper;
    }

    Outcome send(WsConnection connection, String text) {
        Session session = connection.session;
        if (session == null || !session.isOpen() || connection.ended()) {
            return Outcome.GONE;
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        List<String> frames = frames(utf8, (int) limits.maxFrameBytes());
        synchronized (connection.writeLock) {
            if (connection.buffered.get() + utf8.length > limits.clientBufferBytes()) {
                return Outcome.BUFFER_FULL;
            }
            connection.buffered.addAndGet(utf8.length);
            ScheduledFuture<?> stuck = timers.schedule(() -> dropper.drop(connection, GOING_AWAY, GOING_AWAY_REASON),
                    limits.writeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            Runnable settle = () -> {
                connection.buffered.addAndGet(-utf8.length);
                stuck.cancel(false);
            };
            Callback written = Callback.from(settle, failure -> settle.run());
            try {
                if (frames.size() == 1) {
                    session.sendText(frames.get(0), written);
                } else {
                    for (int i = 0; i < frames.size(); i++) {
                        boolean last = i == frames.size() - 1;
                        session.sendPartialText(frames.get(i), last, last ? written : Callback.NOOP);
                    }
                }
            } catch (RuntimeException closedMeanwhile) {
                written.fail(closedMeanwhile);
                return Outcome.GONE;
            }
        }
        return Outcome.ACCEPTED;
    }

    /** The message's text cut into frames of at most {@code maxFrameBytes} of UTF-8, never inside a character. */
    static List<String> frames(byte[] utf8, int maxFrameBytes) {
        List<String> frames = new ArrayList<>();
        int start = 0;
        do {
            int end = Math.min(utf8.length, start + maxFrameBytes);
            while (end < utf8.length && end > start && (utf8[end] & 0xC0) == 0x80) {
                end--;
            }
            frames.add(new String(utf8, start, end - start, StandardCharsets.UTF_8));
            start = end;
        } while (start < utf8.length);
        return frames;
    }
}
