package io.inboxrelay.realtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * API Gateway's {@code @connections} management API ({@code POST|GET|DELETE /{stage}/@connections/{id}}),
 * answering like AWS, for the real SDK client to talk to through an endpoint override. It can be told to
 * answer 410 (gone), or a scripted series of statuses (429, 500, …) for chosen connections.
 */
final class FakeManagementApi implements AutoCloseable {

    static final String STAGE = "production";

    private final HttpServer server;
    private final Map<String, List<String>> received = new ConcurrentHashMap<>();
    private final Set<String> gone = ConcurrentHashMap.newKeySet();
    private final Map<String, Deque<Integer>> scripted = new ConcurrentHashMap<>();
    private final Map<String, Integer> alwaysFailing = new ConcurrentHashMap<>();
    private final Set<String> closed = ConcurrentHashMap.newKeySet();
    private final AtomicInteger attempts = new AtomicInteger();

    FakeManagementApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + STAGE;
    }

    void markGone(String connectionId) {
        gone.add(connectionId);
    }

    /** The next posts to the connection answer these statuses, in order; then 200 again. */
    void script(String connectionId, Integer... statuses) {
        scripted.put(connectionId, new ArrayDeque<>(List.of(statuses)));
    }

    void failAlways(String connectionId) {
        failAlways(connectionId, 500);
    }

    /** Every post to the connection answers this status (429: LimitExceededException) until healed. */
    void failAlways(String connectionId, int status) {
        alwaysFailing.put(connectionId, status);
    }

    /** Whether DeleteConnection was called for the connection. */
    boolean closed(String connectionId) {
        return closed.contains(connectionId);
    }

    void heal(String connectionId) {
        alwaysFailing.remove(connectionId);
    }

    /** What the connection's browser received, in order. */
    List<String> received(String connectionId) {
        List<String> messages = received.get(connectionId);
        if (messages == null) {
            return List.of();
        }
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    int attempts() {
        return attempts.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String prefix = "/" + STAGE + "/@connections/";
            if (!path.startsWith(prefix)) {
                reply(exchange, 404, "NotFoundException", "no such route");
                return;
            }
            String id = URLDecoder.decode(path.substring(prefix.length()), StandardCharsets.UTF_8);
            byte[] body = exchange.getRequestBody().readAllBytes();
            attempts.incrementAndGet();
            if (gone.contains(id)) {
                reply(exchange, 410, "GoneException", "connection is gone");
                return;
            }
            if ("DELETE".equals(exchange.getRequestMethod())) {
                closed.add(id);
                gone.add(id);
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            Integer failing = alwaysFailing.get(id);
            if (failing != null) {
                reply(exchange, failing, failing == 429 ? "LimitExceededException" : "InternalServerErrorException", "failing");
                return;
            }
            Deque<Integer> script = scripted.get(id);
            Integer status = script == null ? null : script.pollFirst();
            if (status != null) {
                reply(exchange, status, status == 429 ? "LimitExceededException" : "InternalServerErrorException", "scripted");
                return;
            }
            switch (exchange.getRequestMethod()) {
                case "POST" -> {
                    List<String> messages = received.computeIfAbsent(id, k -> new ArrayList<>());
                    synchronized (messages) {
                        messages.add(new String(body, StandardCharsets.UTF_8));
                    }
                    exchange.sendResponseHeaders(200, -1);
                }
                case "DELETE" -> {
                    gone.add(id);
                    exchange.sendResponseHeaders(204, -1);
                }
                default -> reply(exchange, 200, null, null);
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String errorType, String message) throws IOException {
        byte[] bytes = (message == null ? "{}" : "{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (errorType != null) {
            exchange.getResponseHeaders().add("x-amzn-ErrorType", errorType);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
