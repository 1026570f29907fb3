package io.inboxrelay.core.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.inboxrelay.core.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.random.RandomGenerator;

/**
 * A gateway on loopback (JDK HttpServer) that records every request and answers with scripted replies, in order,
 * per method and path; the last reply of a path repeats. Unscripted paths answer 404.
 */
final class FakeGateway implements AutoCloseable {

    record Recorded(String method, String path, String query, Headers headers, byte[] body) {
        JsonNode json() {
            return Json.parse(new String(body, StandardCharsets.UTF_8));
        }

        String header(String name) {
            return headers.getFirst(name);
        }
    }

    record Reply(int status, Map<String, String> headers, byte[] body, Duration delay) {
        static Reply json(int status, String json) {
            return new Reply(status, Map.of("Content-Type", "application/json"), json.getBytes(StandardCharsets.UTF_8), Duration.ZERO);
        }

        static Reply bytes(int status, String contentType, byte[] body) {
            return new Reply(status, Map.of("Content-Type", contentType), body, Duration.ZERO);
        }

        Reply withHeader(String name, String value) {
            Map<String, String> all = new java.util.HashMap<>(headers);
            all.put(name, value);
            return new Reply(status, all, body, delay);
        }

        Reply after(Duration wait) {
            return new Reply(status, headers, body, wait);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Deque<Reply>> script = new ConcurrentHashMap<>();
    private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());

    FakeGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            requests.add(new Recorded(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders(), body));
            Reply reply = next(exchange.getRequestMethod() + " " + path);
            try {
                if (!reply.delay().isZero()) {
                    Thread.sleep(reply.delay().toMillis());
                }
                reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
                exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
                if (reply.body().length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(reply.body());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the client gave up (a timeout under test)
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** Scripts the replies to {@code "POST /path"}, in order; the last one repeats. */
    FakeGateway on(String methodAndPath, Reply... replies) {
        script.put(methodAndPath, new ArrayDeque<>(List.of(replies)));
        return this;
    }

    private Reply next(String key) {
        Deque<Reply> replies = script.get(key);
        if (replies == null || replies.isEmpty()) {
            return Reply.json(404, "{\"message\":\"no route " + key + "\"}");
        }
        synchronized (replies) {
            return replies.size() > 1 ? replies.poll() : replies.peek();
        }
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Recorded> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    Recorded only() {
        List<Recorded> all = requests();
        if (all.size() != 1) {
            throw new AssertionError("expected one request, got " + all.size() + ": " + all.stream().map(r -> r.method() + " " + r.path()).toList());
        }
        return all.get(0);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Backoffs recorded instead of slept, so retry tests take no time. */
    static final class RecordingSleeper implements GatewayHttp.Sleeper {
        final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void sleep(Duration duration) {
            waits.add(duration);
        }
    }

    static GatewayHttp http(RecordingSleeper sleeper, Duration requestTimeout, RetryPolicy policy) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return new GatewayHttp(client, requestTimeout, policy, sleeper, RandomGenerator.of("L64X128MixRandom"), Clock.systemUTC());
    }

    static GatewayHttp http(RecordingSleeper sleeper) {
        return http(sleeper, Duration.ofSeconds(5), RetryPolicy.DEFAULT);
    }
}
