package io.inboxrelay.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A {@code @connections} endpoint that accepts every PostToConnection with 200 after a fixed
 * service time, without holding a thread while it waits, so the fan-out's own cost and its
 * concurrency are what is measured, not this server's.
 */
public final class FakeManagementEndpoint implements AutoCloseable {

    private final Server server;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "fake-mgmt-timer");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong posts = new AtomicLong();
    private volatile long delayNanos;

    public FakeManagementEndpoint(Duration serviceTime) throws Exception {
        this.delayNanos = serviceTime.toNanos();
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("fake-mgmt");
        threads.setDaemon(true);
        server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Content.Source.consumeAll(request, Callback.from(() -> {
                    posts.incrementAndGet();
                    response.setStatus(200);
                    response.getHeaders().put("Content-Type", "application/json");
                    long delay = delayNanos;
                    if (delay <= 0) {
                        response.write(true, ByteBuffer.allocate(0), callback);
                    } else {
                        timers.schedule(() -> response.write(true, ByteBuffer.allocate(0), callback), delay, TimeUnit.NANOSECONDS);
                    }
                }, callback::failed));
                return true;
            }
        });
        server.start();
    }

    public void serviceTime(Duration value) {
        delayNanos = value.toNanos();
    }

    public Duration serviceTime() {
        return Duration.ofNanos(delayNanos);
    }

    /** The endpoint override for a management client, stage included. */
    public String endpoint() {
        return "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/prod";
    }

    public long posts() {
        return posts.get();
    }

    @Override
    public void close() throws Exception {
        server.stop();
        timers.shutdownNow();
    }
}
