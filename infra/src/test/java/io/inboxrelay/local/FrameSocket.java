package io.inboxrelay.local;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Frame;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketFrame;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A real WebSocket client (Jetty's) that sees the frames themselves, assembles text messages from a
 * text frame and its continuation frames, and can stop reading its socket, like a browser tab that hangs.
 */
@WebSocket(autoDemand = false)
public final class FrameSocket implements AutoCloseable {

    private static final WebSocketClient CLIENT = startClient();

    /** One received data frame: its type, whether it ended a message, its payload size in bytes. */
    public record ReceivedFrame(Frame.Type type, boolean fin, int payloadBytes) {
    }

    /** One assembled text message and the frames it came in. */
    public record Message(String text, List<ReceivedFrame> frames) {
    }

    public final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    public final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final List<ReceivedFrame> partialFrames = new ArrayList<>();
    private final List<ByteBuffer> partialPayload = new CopyOnWriteArrayList<>();
    private volatile boolean reading = true;
    private volatile Session session;

    private static WebSocketClient startClient() {
        WebSocketClient client = new WebSocketClient();
        client.setMaxTextMessageSize(1024 * 1024);
        client.setMaxFrameSize(1024 * 1024);
        client.setIdleTimeout(Duration.ofMinutes(5));
        // Frames as they came on the wire, not re-cut into the parser's buffer-sized pieces
        client.setAutoFragment(false);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return client;
    }

    public static FrameSocket connect(URI uri) throws Exception {
        FrameSocket socket = new FrameSocket();
        socket.session = CLIENT.connect(socket, uri, new ClientUpgradeRequest()).get(30, TimeUnit.SECONDS);
        return socket;
    }

    @OnWebSocketOpen
    public void onOpen(Session session) {
        this.session = session;
        session.demand();
    }

    @OnWebSocketFrame
    public void onFrame(Frame frame, Callback callback) {
        switch (frame.getType()) {
            case TEXT, CONTINUATION -> collect(frame);
            default -> {
            }
        }
        callback.succeed();
        if (reading && frame.getType() != Frame.Type.CLOSE) {
            session.demand();
        }
    }

    private synchronized void collect(Frame frame) {
        partialFrames.add(new ReceivedFrame(frame.getType(), frame.isFin(), frame.getPayloadLength()));
        ByteBuffer copy = ByteBuffer.allocate(frame.getPayloadLength());
        copy.put(frame.getPayload().slice()).flip();
        partialPayload.add(copy);
        if (frame.isFin()) {
            ByteBuffer whole = ByteBuffer.allocate(partialPayload.stream().mapToInt(ByteBuffer::remaining).sum());
            partialPayload.forEach(whole::put);
            messages.add(new Message(new String(whole.array(), java.nio.charset.StandardCharsets.UTF_8), List.copyOf(partialFrames)));
            partialFrames.clear();
            partialPayload.clear();
        }
    }

    @OnWebSocketClose
    public void onClose(int statusCode, String reason) {
        closeCode.complete(statusCode);
    }

    /** Stops reading the socket after the frame being read, so what the server sends piles up in the buffers. */
    public void stopReading() {
        reading = false;
    }

    public void resumeReading() {
        reading = true;
        session.demand();
    }

    public void send(String text) throws Exception {
        Callback.Completable sent = new Callback.Completable();
        session.sendText(text, sent);
        sent.get(30, TimeUnit.SECONDS);
    }

    /** The next message, waiting up to the timeout; null if none came. */
    public Message next(Duration timeout) throws InterruptedException {
        return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isOpen() {
        return session != null && session.isOpen();
    }

    @Override
    public void close() {
        if (session != null && session.isOpen()) {
            session.close(1000, "bye", Callback.NOOP);
        }
    }
}
