package io.inboxrelay.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.inboxrelay.config.Clients;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.event.Cursors;
import io.inboxrelay.core.event.Envelopes;
import io.inboxrelay.core.event.PushEvent;
import io.inboxrelay.observability.Metrics;
import io.inboxrelay.push.GivenUpRecords;
import io.inboxrelay.push.Replay;
import io.inboxrelay.store.EventItems;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * FanoutFailureQueue → a {@code resync_required} marker for every tenant of a stream batch the
 * fan-out gave up on. The marker is an event like any other: pushed to the tenant's open sockets
 * and met by every later resume, so no browser silently misses what was given up — each one
 * reloads through the read API. The queue message stays (retried, then the queue's own retention)
 * if the marker cannot be written.
 */
public class FanoutFailureHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(FanoutFailureHandler.class);

    private final DynamoDbClient dynamo;
    private final GivenUpRecords records;
    private final Config config;
    private final Clock clock;

    public FanoutFailureHandler() {
        this(Clients.dynamo(), Clients.streams(), Config.fromEnv(), Clock.systemUTC());
    }

    public FanoutFailureHandler(DynamoDbClient dynamo, DynamoDbStreamsClient streams, Config config, Clock clock) {
        this.dynamo = dynamo;
        this.records = new GivenUpRecords(streams);
        this.config = config;
        this.clock = clock;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        Metrics metrics = new Metrics("FanoutFailure");
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        try {
            for (SQSEvent.SQSMessage message : event.getRecords()) {
                try {
                    GivenUpRecords.Range range = GivenUpRecords.Range.parse(message.getBody());
                    Set<String> tenants = records.tenants(range);
                    for (String tenant : tenants) {
                        mark(tenant);
                    }
                    metrics.count("ResyncMarkers", tenants.size());
                    if (tenants.isEmpty()) {
                        // Either every record was a marker already, or the stream (24 h) no longer holds them.
                        metrics.count("GivenUpRangesWithoutTenant");
                        LOG.error("no tenant found for a given-up range (only markers, or past the stream's 24 h) shardId={} start={} end={}",
                                range.shardId(), range.start(), range.end());
                    }
                    LOG.warn("delivery given up, resync markers written shardId={} start={} end={} tenants={}",
                            range.shardId(), range.start(), range.end(), tenants.size());
                } catch (IllegalArgumentException unreadable) {
                    // Retrying cannot make it readable: logged and dropped, never retried forever.
                    metrics.count("FailureRecordsUnreadable");
                    LOG.error("on-failure record not understood messageId={}: {}", message.getMessageId(), unreadable.getMessage());
                } catch (RuntimeException e) {
                    LOG.error("resync markers not written messageId={}", message.getMessageId(), e);
                    failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                }
            }
            metrics.count("FailureRecordsRetried", failures.size());
            return new SQSBatchResponse(failures);
        } finally {
            metrics.flush();
        }
    }

    private void mark(String tenant) {
        Instant now = clock.instant();
        PushEvent marker = Envelopes.resyncRequired(tenant, Cursors.next(now), Replay.DELIVERY_FAILED);
        dynamo.putItem(EventItems.putRequest(config.eventsTable(), marker, now, config.eventTtl()));
    }
}
