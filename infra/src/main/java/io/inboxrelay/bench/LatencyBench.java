package io.inboxrelay.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.auth.TokenMinter;
import io.inboxrelay.local.DemoTenant;
import io.inboxrelay.local.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * End to end on the local stack: browsers (Jetty WebSocket clients, through the authorizer and
 * $connect) of one tenant, a gateway posting signed webhooks at a fixed rate (open loop: a slow
 * answer does not slow the sending), and the time from each POST to its {@code new_message} at
 * each browser. Lost = stored messages × browsers − distinct receipts after draining.
 */
public final class LatencyBench {

    /** Latencies in ms; {@code lost} counts (message, browser) pairs that never arrived. */
    public record Result(int clients, int rate, Duration duration, long posted, long stored, long postFailures,
                         Percentiles latency, long lost, long duplicates) {
    }

    private final LocalStack stack;
    private final DemoTenant tenant;
    private final String jwtSecret;

    public LatencyBench(LocalStack stack, DemoTenant tenant, String jwtSecret) {
        this.stack = stack;
        this.tenant = tenant;
        this.jwtSecret = jwtSecret;
    }

    public Result run(int clients, int perSecond, Duration duration) throws Exception {
        String run = Long.toString(System.currentTimeMillis(), 36);
        Map<String, Long> postedAt = new ConcurrentHashMap<>();
        int capacity = (int) (clients * perSecond * Math.max(1, duration.toSeconds()) * 1.1) + 1024;
        LatencyLog samples = new LatencyLog(capacity);
        WebSocketClient ws = new WebSocketClient();
        ws.setMaxTextMessageSize(128 * 1024);
        ws.start();
        List<BenchSocket> sockets = new ArrayList<>();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4, IngestBench.named("bench-sender"))).connectTimeout(Duration.ofSeconds(5)).build();
        try {
            Progress.step("latency: connecting {} browsers", clients);
            String token = new TokenMinter(jwtSecret).mint(tenant.tenantId(), "bench-agent", Duration.ofHours(1));
            URI url = URI.create(stack.webSocketUrl() + "?token=" + token);
            for (int i = 0; i < clients; i++) {
                BenchSocket socket = new BenchSocket((id, nanos) -> {
                    Long sent = postedAt.get(id);
                    if (sent != null) {
                        samples.add((nanos - sent) / 1e6);
                    }
                }, text -> { });
                ws.connect(socket, url).get(10, TimeUnit.SECONDS);
                sockets.add(socket);
            }
            Progress.step("latency: {} webhooks/s for {} s to {} browsers", perSecond, duration.toSeconds(), clients);
            Webhooks webhooks = new Webhooks(URI.create(stack.httpUrl() + "/webhooks/" + tenant.sessionId()), tenant.secret());
            long total = (long) perSecond * duration.toSeconds();
            AtomicLong sequence = new AtomicLong();
            AtomicLong stored = new AtomicLong();
            AtomicLong failures = new AtomicLong();
            List<CompletableFuture<?>> inFlight = java.util.Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<Void> done = new CompletableFuture<>();
            ScheduledFuture<?> ticks = pacer.scheduleAtFixedRate(() -> {
                long n = sequence.incrementAndGet();
                if (n > total) {
                    done.complete(null);
                    return;
                }
                String id = "lat-" + run + "-" + n;
                var request = webhooks.request(id, (int) (n % 40));
                postedAt.put(id, System.nanoTime());
                inFlight.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
                    JsonNode answer = error == null && response.statusCode() == 200 ? Json.parse(response.body()) : null;
                    if (answer != null && "stored".equals(answer.path("status").asText())) {
                        stored.incrementAndGet();
                    } else {
                        failures.incrementAndGet();
                    }
                    return null;
                }));
                if (n % (perSecond * 5L) == 0) {
                    Progress.step("latency: {} of {} posted, {} receipts", n, total, samples.size());
                }
            }, 0, 1_000_000_000L / perSecond, TimeUnit.NANOSECONDS);
            done.get(duration.toSeconds() + 60, TimeUnit.SECONDS);
            ticks.cancel(false);
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            long expected = stored.get() * clients;
            long lastCount = -1;
            long quietSince = System.nanoTime();
            while (true) {
                long received = sockets.stream().mapToLong(BenchSocket::distinctMessages).sum();
                if (received >= expected) {
                    break;
                }
                if (received != lastCount) {
                    lastCount = received;
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(10)) {
                    break;
                }
                Thread.sleep(100);
            }
            long received = sockets.stream().mapToLong(BenchSocket::distinctMessages).sum();
            long duplicates = sockets.stream().mapToLong(BenchSocket::duplicates).sum();
            return new Result(clients, perSecond, duration, Math.min(total, sequence.get()), stored.get(), failures.get(),
                    samples.percentiles(), Math.max(0, expected - received), duplicates);
        } finally {
            pacer.shutdownNow();
            sockets.forEach(BenchSocket::close);
            ws.stop();
        }
    }

    /** Lock-free enough: one append per receipt, from the WebSocket client's threads. */
    static final class LatencyLog {
        private final double[] values;
        private final AtomicInteger size = new AtomicInteger();

        LatencyLog(int capacity) {
            values = new double[capacity];
        }

        void add(double millis) {
            int index = size.getAndIncrement();
            if (index < values.length) {
                values[index] = millis;
            }
        }

        int size() {
            return Math.min(size.get(), values.length);
        }

        Percentiles percentiles() {
            return new Percentiles(java.util.Arrays.copyOf(values, size()));
        }
    }
}
