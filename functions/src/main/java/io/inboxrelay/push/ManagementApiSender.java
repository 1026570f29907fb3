package io.inboxrelay.push;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/**
 * PostToConnection through the {@code @connections} management API, retrying 429 and 5xx with
 * full-jitter backoff.
 *
 * <p>Why the synchronous client: the async one needs the Netty or CRT HTTP client, which this
 * build excludes (cold-start size; neither is available to it). Concurrency therefore comes from
 * a bounded executor around this class ({@link Fanout}), sized by FANOUT_CONCURRENCY rather than
 * by the SDK's default connection pool, which would serialise a large tenant's posts.
 */
public final class ManagementApiSender implements ConnectionSender {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementApiSender.class);

    private final ApiGatewayManagementApiClient client;
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final PushCounters counters;

    public ManagementApiSender(ApiGatewayManagementApiClient client, Backoff backoff, PushCounters counters) {
        this(client, backoff, Sleeper.REAL, counters);
    }

    ManagementApiSender(ApiGatewayManagementApiClient client, Backoff backoff, Sleeper sleeper, PushCounters counters) {
        this.client = client;
        this.backoff = backoff;
        this.sleeper = sleeper;
        this.counters = counters;
    }

    @Override
    public Delivery send(String connectionId, String body) {
        SdkBytes data = SdkBytes.fromUtf8String(body);
        for (int attempt = 0; ; attempt++) {
            try {
                client.postToConnection(r -> r.connectionId(connectionId).data(data));
                counters.sent();
                return Delivery.SENT;
            } catch (GoneException e) {
                counters.gone();
                return Delivery.GONE;
            } catch (SdkServiceException e) {
                boolean throttled = e.statusCode() == 429 || e.isThrottlingException();
                if (throttled) {
                    counters.throttled();
                }
                if (!throttled && e.statusCode() < 500) {
                    // 413 PayloadTooLarge, 400, 403: retrying cannot help.
                    return failed(connectionId, e.statusCode(), attempt + 1, e.statusCode() == 413 ? Delivery.TOO_LARGE : Delivery.REFUSED);
                }
                if (attempt + 1 >= backoff.attempts()) {
                    return failed(connectionId, e.statusCode(), attempt + 1, throttled ? Delivery.THROTTLED : Delivery.FAILED);
                }
            } catch (SdkClientException e) {
                // Network trouble reaching the endpoint: as retryable as a 5xx.
                if (attempt + 1 >= backoff.attempts()) {
                    return failed(connectionId, 0, attempt + 1, Delivery.FAILED);
                }
            }
            if (!sleeper.sleep(backoff.delayBefore(attempt))) {
                return failed(connectionId, 0, attempt + 1, Delivery.FAILED);
            }
        }
    }

    private Delivery failed(String connectionId, int status, int attempts, Delivery outcome) {
        counters.failed();
        LOG.warn("post to connection failed connectionId={} status={} attempts={} outcome={}", connectionId, status, attempts, outcome);
        return outcome;
    }

    @Override
    public void close(String connectionId) {
        try {
            client.deleteConnection(r -> r.connectionId(connectionId));
            counters.closed();
        } catch (GoneException alreadyGone) {
            counters.gone();
        } catch (SdkServiceException | SdkClientException e) {
            // The connection item is dropped anyway; a socket we could not close ages out (idle 10 min, 2 h at most).
            LOG.warn("could not close connection connectionId={} status={}", connectionId,
                    e instanceof SdkServiceException service ? service.statusCode() : 0);
        }
    }

    /** Waits between retries; false when interrupted (the invocation is ending). */
    interface Sleeper {
        Sleeper REAL = delay -> {
            try {
                Thread.sleep(delay.toMillis());
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };

        boolean sleep(Duration delay);
    }
}
