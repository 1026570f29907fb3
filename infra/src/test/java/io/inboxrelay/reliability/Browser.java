package io.inboxrelay.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A browser as the inbox client behaves: it keeps every event id it has seen and drops repeats,
 * remembers the last cursor, and after a reconnect sends {@code resume} with it. It counts what
 * it received, repeats and anything of another tenant.
 */
final class Browser {

    static final WebSocketClient CLIENT = startClient();

    final String tenantId;
    final String name;
    private final Supplier<URI> url;
    final Set<String> eventIds = ConcurrentHashMap.newKeySet();
    final AtomicInteger pushes = new AtomicInteger();
    final AtomicInteger repeats = new AtomicInteger();
    final AtomicInteger foreign = new AtomicInteger();
    final AtomicInteger reconnects = new AtomicInteger();
    final AtomicInteger internalErrors = new AtomicInteger();
    /** Resume pages followed with {@code after}. */
    final AtomicInteger pages = new AtomicInteger();
    final Map<String, AtomicInteger> byType = new ConcurrentHashMap<>();
    /** Everything that is not a pushed event: pong, resumed, subscribed, error frames. */
    final BlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
    private volatile String lastCursor;
    private volatile Session session;

    /** @param url the socket URL with a fresh token, asked again for every (re)connection */
    Browser(String tenantId, String name, Supplier<URI> url) {
        this.tenantId = tenantId;
        this.name = name;
        this.url = url;
    }

    private static WebSocketClient startClient() {
        WebSocketClient client = new WebSocketClient();
        client.setMaxTextMessageSize(1024 * 1024);
        client.setIdleTimeout(Duration.ofMinutes(30));
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return client;
    }

    Browser connect() throws Exception {
        if (lastCursor == null) {
            // A client that has seen nothing yet resumes from when it first connected.
            lastCursor = String.format("%013d-0000000000", System.currentTimeMillis());
        }
        session = CLIENT.connect(new Endpoint(), url.get()).get(20, TimeUnit.SECONDS);
        return this;
    }

    /** The network goes away: no close frame, the server notices the dead TCP connection. */
    void drop() {
        Session current = session;
        if (current != null) {
            current.disconnect();
        }
    }

    /** Asks for everything after the cursor (and the overlap before it). */
    void resumeFrom(String cursor) throws Exception {
        send("{\"type\":\"resume\",\"since\":\"" + cursor + "\"}");
    }

    /** Every pushed event of the type it kept (after de-duplication), in arrival order. */
    final List<JsonNode> kept = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Reconnects and asks for everything after the last cursor it saw. */
    void reconnectAndResume() throws Exception {
        connect();
        reconnects.incrementAndGet();
        send("{\"type\":\"resume\",\"since\":" + Json.write(Json.MAPPER.getNodeFactory().textNode(lastCursor)) + "}");
    }

    void send(String text) throws Exception {
        Callback.Completable sent = new Callback.Completable();
        session.sendText(text, sent);
        sent.get(10, TimeUnit.SECONDS);
    }

    boolean isOpen() {
        return session != null && session.isOpen();
    }

    void close() {
        if (isOpen()) {
            session.close(1000, "bye", Callback.NOOP);
        }
    }

    int count(String type) {
        AtomicInteger count = byType.get(type);
        return count == null ? 0 : count.get();
    }

    /** The next reply of the type, skipping others, or null after the timeout. */
    JsonNode nextReply(String type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode reply = replies.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (reply != null && type.equals(reply.path("type").asText())) {
                return reply;
            }
        }
        return null;
    }

    private void received(String text) {
        JsonNode message;
        try {
            message = Json.parse(text);
        } catch (RuntimeException e) {
            replies.add(Json.MAPPER.getNodeFactory().textNode(text));
            return;
        }
        String type = message.path("type").asText("");
        String id = message.path("id").asText(null);
        if (message.has("tenant_id") && id != null) {
            pushes.incrementAndGet();
            if (!tenantId.equals(message.path("tenant_id").asText())) {
                foreign.incrementAndGet();
            }
            if (eventIds.add(id)) {
                byType.computeIfAbsent(type, t -> new AtomicInteger()).incrementAndGet();
                kept.add(message);
            } else {
                repeats.incrementAndGet();
            }
            lastCursor = id;
            return;
        }
        if ("Internal server error".equals(message.path("message").asText())) {
            internalErrors.incrementAndGet();
        }
        replies.add(message);
        if ("resumed".equals(type) && message.has("complete") && !message.path("complete").asBoolean()) {
            // A page of a longer resume: ask for the next one, as the inbox client does.
            pages.incrementAndGet();
            session.sendText("{\"type\":\"resume\",\"after\":" + Json.write(message.path("next")) + "}", Callback.NOOP);
        }
    }

    @WebSocket
    public final class Endpoint {
        @OnWebSocketMessage
        public void onText(String text) {
            received(text);
        }
    }
}
