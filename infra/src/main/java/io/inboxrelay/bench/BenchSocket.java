package io.inboxrelay.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;

/**
 * A browser's socket as the benchmark sees it: for each {@code new_message} it notes the message
 * id once (duplicates are counted, as a client would drop them) and reports it with its arrival time.
 */
@WebSocket
public final class BenchSocket {

    private static final String MARKER = "\"message\":{\"id\":\"";

    /** Called with (message id, arrival nanoTime) for the first copy of each message. */
    public interface Receipt {
        void received(String messageId, long nanos);
    }

    private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
    private final AtomicLong duplicates = new AtomicLong();
    private final Receipt receipt;
    private final Consumer<String> other;
    volatile Session session;

    public BenchSocket(Receipt receipt, Consumer<String> other) {
        this.receipt = receipt;
        this.other = other;
    }

    @OnWebSocketOpen
    public void onOpen(Session value) {
        this.session = value;
    }

    @OnWebSocketMessage
    public void onText(String text) {
        long now = System.nanoTime();
        if (text.startsWith("{\"type\":\"new_message\"")) {
            int at = text.indexOf(MARKER);
            if (at >= 0) {
                int from = at + MARKER.length();
                String id = text.substring(from, text.indexOf('"', from));
                if (seen.putIfAbsent(id, Boolean.TRUE) == null) {
                    receipt.received(id, now);
                } else {
                    duplicates.incrementAndGet();
                }
                return;
            }
        }
        other.accept(text);
    }

    public int distinctMessages() {
        return seen.size();
    }

    public long duplicates() {
        return duplicates.get();
    }

    public void send(String text) throws Exception {
        var sent = new org.eclipse.jetty.websocket.api.Callback.Completable();
        session.sendText(text, sent);
        sent.get(5, java.util.concurrent.TimeUnit.SECONDS);
    }

    public void close() {
        if (session != null) {
            session.close();
        }
    }
}
