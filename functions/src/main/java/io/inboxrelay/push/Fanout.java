package io.inboxrelay.push;

import io.inboxrelay.core.event.Cursors;
import io.inboxrelay.core.realtime.Connection;
import io.inboxrelay.core.realtime.ConnectionDirectory;
import io.inboxrelay.core.realtime.ServerMessages;
import io.inboxrelay.core.realtime.StoredEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes a batch of stream records to every interested connection of their tenant.
 *
 * <p>Order: a tenant's records are pushed one after another in stream order; different tenants
 * proceed in parallel. One socket never fails a record: a socket that cannot take an event (any
 * 4xx but 429, or 5xx after retries) is closed and dropped, and its browser resumes. A record fails
 * only when API Gateway keeps throttling or the connections cannot be read; then every later
 * record of the same tenant fails too (not even attempted), so Lambda's retry from the failed
 * sequence number re-delivers them in order. A client may see a record twice; it dedupes by id.
 * A socket whose token has expired gets no event: it is sent a {@code token_expired} error and closed.
 *
 * <p>Posts run on a pool of FANOUT_CONCURRENCY threads built once per container, because the
 * synchronous management client blocks a thread per call (see {@link ManagementApiSender}).
 */
public final class Fanout implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Fanout.class);
    private static final int TENANT_PARALLELISM = 16;
    /**
     * How long after {@code $connect} a 410 means "not open yet" rather than "closed": the
     * connection item is written before API Gateway opens the socket.
     */
    static final Duration CONNECT_GRACE = Duration.ofSeconds(10);

    private final ConnectionDirectory directory;
    private final ExecutorService posts;
    private final ExecutorService tenants;
    private final Clock clock;

    public Fanout(ConnectionDirectory directory, int concurrency, Clock clock) {
        this.directory = directory;
        this.posts = Executors.newFixedThreadPool(Math.max(1, concurrency), daemon("fanout-post"));
        // Distinct from the post pool: tenant tasks block on their posts, and sharing one pool could deadlock.
        this.tenants = Executors.newFixedThreadPool(TENANT_PARALLELISM, daemon("fanout-tenant"));
        this.clock = clock;
    }

    /** @return the sequence numbers of records not delivered, in batch order (empty when all were) */
    public List<String> deliver(List<FanoutRecord> batch, ConnectionSender sender, PushCounters counters) {
        Map<String, List<Integer>> byTenant = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            byTenant.computeIfAbsent(batch.get(i).event().tenantId(), t -> new ArrayList<>()).add(i);
        }
        List<Future<List<Integer>>> running = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> tenant : byTenant.entrySet()) {
            running.add(tenants.submit(() -> deliverTenant(tenant.getKey(), tenant.getValue(), batch, sender, counters)));
        }
        List<Integer> failed = new ArrayList<>();
        for (int t = 0; t < running.size(); t++) {
            try {
                failed.addAll(running.get(t).get());
            } catch (ExecutionException e) {
                LOG.error("tenant fan-out crashed", e.getCause());
                failed.addAll(new ArrayList<>(byTenant.values()).get(t));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.addAll(new ArrayList<>(byTenant.values()).get(t));
            }
        }
        Collections.sort(failed);
        return failed.stream().map(i -> batch.get(i).sequenceNumber()).toList();
    }

    private List<Integer> deliverTenant(String tenantId, List<Integer> indexes, List<FanoutRecord> batch,
                                        ConnectionSender sender, PushCounters counters) {
        List<Integer> failed = new ArrayList<>();
        List<Connection> connections = null;
        for (int index : indexes) {
            if (!failed.isEmpty()) {
                failed.add(index);
                continue;
            }
            StoredEvent event = batch.get(index).event();
            try {
                if (connections == null) {
                    // Once per tenant per batch: a Query on the partition key, never a Scan.
                    connections = new ArrayList<>(directory.forTenant(tenantId));
                }
                if (!push(event, connections, sender, counters)) {
                    failed.add(index);
                }
            } catch (RuntimeException e) {
                LOG.error("fan-out of event failed tenantId={} cursor={}", tenantId, event.cursor(), e);
                failed.add(index);
            }
        }
        if (!failed.isEmpty()) {
            LOG.warn("records not delivered tenantId={} count={}", tenantId, failed.size());
        }
        return failed;
    }

    /**
     * @return true unless API Gateway throttled every socket (then the record is retried later). A socket
     *         that cannot take the event is closed and dropped — its browser reconnects and resumes —
     *         and never fails the record for the others.
     */
    private boolean push(StoredEvent event, List<Connection> connections, ConnectionSender sender, PushCounters counters) {
        long now = clock.millis();
        for (Connection expired : connections.stream().filter(c -> c.tokenExpired(now)).toList()) {
            // A socket must not outlive its token: it gets no more events, only the reason it is closed.
            // Its browser gets a new token, reconnects and resumes, so it misses nothing.
            posts.submit(() -> sender.closeForExpiredToken(expired.connectionId()));
            drop(expired, connections);
            LOG.info("connection closed, token expired tenantId={} connectionId={}", expired.tenantId(), expired.connectionId());
        }
        List<Connection> targets = connections.stream().filter(c -> c.receives(event)).toList();
        List<Future<Delivery>> sends = new ArrayList<>(targets.size());
        for (Connection target : targets) {
            sends.add(posts.submit(() -> sender.send(target.connectionId(), event.body())));
        }
        List<Delivery> outcomes = new ArrayList<>(targets.size());
        for (Future<Delivery> send : sends) {
            outcomes.add(await(send));
        }
        // 429 is "account rate exceeded" or "this client's buffer is full" (LimitExceededException).
        // When other sockets of the same event were served, it was that client: treat it as stuck.
        boolean someSent = outcomes.contains(Delivery.SENT);
        boolean delivered = true;
        for (int i = 0; i < targets.size(); i++) {
            Delivery outcome = outcomes.get(i);
            Connection target = targets.get(i);
            if (outcome == Delivery.GONE) {
                if (clock.millis() - target.connectedAt() < CONNECT_GRACE.toMillis()) {
                    // API Gateway answers 410 until the $connect answer has opened the socket; the
                    // browser resumes right after opening, so this event reaches it that way.
                    LOG.info("connection not open yet, left in place tenantId={} connectionId={}", target.tenantId(), target.connectionId());
                } else {
                    drop(target, connections);
                    LOG.info("stale connection removed tenantId={} connectionId={}", target.tenantId(), target.connectionId());
                }
            } else if (outcome == Delivery.TOO_LARGE) {
                // Envelopes keep events far below the 128 KB limit, so this is a bug: the socket is fine and
                // stays; it is told to reload through the read API rather than silently miss the event.
                LOG.error("event too large for API Gateway, browser told to resynchronise tenantId={} connectionId={} cursor={} bytes={}",
                        target.tenantId(), target.connectionId(), event.cursor(), event.body().length());
                posts.submit(() -> sender.send(target.connectionId(),
                        ServerMessages.resyncRequired(Replay.DELIVERY_FAILED, Cursors.floor(clock.instant()))));
            } else if (outcome.failsTheConnection() || (outcome == Delivery.THROTTLED && someSent)) {
                posts.submit(() -> sender.close(target.connectionId()));
                drop(target, connections);
                LOG.warn("connection closed after a failed push tenantId={} connectionId={} cursor={} outcome={}",
                        target.tenantId(), target.connectionId(), event.cursor(), outcome);
            } else if (outcome == Delivery.THROTTLED) {
                delivered = false;
            } else if (event.createdAt() > 0) {
                counters.delay(clock.millis() - event.createdAt());
            }
        }
        return delivered;
    }

    private void drop(Connection connection, List<Connection> connections) {
        directory.delete(connection.tenantId(), connection.connectionId());
        connections.remove(connection);
    }

    private static Delivery await(Future<Delivery> send) {
        try {
            return send.get();
        } catch (ExecutionException e) {
            LOG.error("post crashed", e.getCause());
            return Delivery.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Delivery.FAILED;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        posts.shutdownNow();
        tenants.shutdownNow();
    }
}
