package io.inboxrelay.local;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/** A real WebSocket client (Jetty's) that keeps what it received and how it was closed. */
@WebSocket
public final class TestSocket implements AutoCloseable {

    private static final WebSocketClient CLIENT = startClient();

    public final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    public final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    public volatile String closeReason;
    private volatile Session session;

    private static WebSocketClient startClient() {
        WebSocketClient client = new WebSocketClient();
        client.setMaxTextMessageSize(1024 * 1024);
        client.setMaxFrameSize(1024 * 1024);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return client;
    }

    public static TestSocket connect(URI uri) throws Exception {
        return connect(uri, List.of());
    }

    /** Connects, or throws the upgrade failure (an UpgradeException carrying the HTTP status) as the cause. */
    public static TestSocket connect(URI uri, List<String> subprotocols) throws Exception {
        TestSocket socket = new TestSocket();
        ClientUpgradeRequest request = new ClientUpgradeRequest();
        if (!subprotocols.isEmpty()) {
            request.setSubProtocols(subprotocols);
        }
        socket.session = CLIENT.connect(socket, uri, request).get(10, TimeUnit.SECONDS);
        return socket;
    }

    @OnWebSocketOpen
    public void onOpen(Session session) {
        this.session = session;
    }

    @OnWebSocketMessage
    public void onText(String message) {
        received.add(message);
    }

    @OnWebSocketClose
    public void onClose(int statusCode, String reason) {
        closeReason = reason;
        closeCode.complete(statusCode);
    }

    public Session session() {
        return session;
    }

    public void send(String text) throws Exception {
        Callback.Completable sent = new Callback.Completable();
        session.sendText(text, sent);
        sent.get(5, TimeUnit.SECONDS);
    }

    /** The next message, waiting up to the timeout; null if none came. */
    public String next(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String acceptedSubprotocol() {
        return session.getUpgradeResponse().getAcceptedSubProtocol();
    }

    @Override
    public void close() {
        if (session != null && session.isOpen()) {
            session.close(1000, "bye", Callback.NOOP);
        }
    }
}
