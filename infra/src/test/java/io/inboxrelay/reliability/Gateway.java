package io.inboxrelay.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Posts webhooks as a gateway does: over HTTP, and again after a 5xx or a connection failure (with a
 * short pause), until it gets an answer that is not a server error or runs out of attempts.
 */
final class Gateway {

    /** The final answer to one delivery, after retries. */
    record Answer(int status, String outcome, int attempts) {
    }

    private final HttpClient http;
    private final URI base;
    private final int maxAttempts;
    final AtomicInteger retries = new AtomicInteger();

    Gateway(URI base, Executor executor, int maxAttempts) {
        this.http = HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(5)).build();
        this.base = base;
        this.maxAttempts = maxAttempts;
    }

    CompletableFuture<Answer> post(String sessionId, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/webhooks/" + sessionId))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return attempt(request.build(), 1);
    }

    Answer postAndWait(String sessionId, byte[] body, Map<String, String> headers) {
        return post(sessionId, body, headers).join();
    }

    private CompletableFuture<Answer> attempt(HttpRequest request, int attempt) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    boolean retry = (error != null || response.statusCode() >= 500) && attempt < maxAttempts;
                    if (!retry) {
                        return CompletableFuture.completedFuture(error != null
                                ? new Answer(-1, String.valueOf(error), attempt)
                                : new Answer(response.statusCode(), outcome(response.body()), attempt));
                    }
                    retries.incrementAndGet();
                    long pause = Math.min(2000, 50L << Math.min(attempt, 5));
                    Executor later = CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS);
                    return CompletableFuture.supplyAsync(() -> attempt, later).thenCompose(n -> attempt(request, n + 1));
                })
                .thenCompose(future -> future);
    }

    private static String outcome(String body) {
        try {
            JsonNode json = Json.parse(body);
            return json.path("status").asText(json.path("error").asText(""));
        } catch (RuntimeException e) {
            return "";
        }
    }

}
