package io.inboxrelay.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import io.inboxrelay.config.Clients;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.event.Channel;
import io.inboxrelay.core.realtime.StoredEvent;
import io.inboxrelay.observability.Metrics;
import io.inboxrelay.push.Backoff;
import io.inboxrelay.push.Fanout;
import io.inboxrelay.push.FanoutRecord;
import io.inboxrelay.push.ManagementApiSender;
import io.inboxrelay.push.PushCounters;
import io.inboxrelay.store.ConnectionStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * EventsTable stream → every interested browser of the event's tenant. Records that could not be
 * delivered are returned in {@code batchItemFailures} (ReportBatchItemFailures), never swallowed.
 */
public class FanoutHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(FanoutHandler.class);

    private final Fanout fanout;
    private final ApiGatewayManagementApiClient management;
    private final Backoff backoff;

    public FanoutHandler() {
        this(Config.fromEnv());
    }

    private FanoutHandler(Config config) {
        this(Clients.dynamo(), managementFrom(config), config, Backoff.DEFAULT);
    }

    public FanoutHandler(DynamoDbClient dynamo, ApiGatewayManagementApiClient management, Config config, Backoff backoff) {
        Clock clock = Clock.systemUTC();
        this.fanout = new Fanout(new ConnectionStore(dynamo, config.connectionsTable(), config.connectionTtl(), clock),
                config.fanoutConcurrency(), clock);
        this.management = management;
        this.backoff = backoff;
    }

    private static ApiGatewayManagementApiClient managementFrom(Config config) {
        if (config.managementEndpoint() == null) {
            throw new IllegalStateException("the fan-out needs WS_MANAGEMENT_ENDPOINT, or WS_DOMAIN_NAME and WS_STAGE");
        }
        return Clients.management(config.managementEndpoint());
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        Metrics metrics = new Metrics("Fanout");
        PushCounters counters = new PushCounters();
        try {
            List<FanoutRecord> batch = new ArrayList<>();
            for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
                Optional<StoredEvent> pushable = pushable(record);
                if (pushable.isPresent()) {
                    batch.add(new FanoutRecord(record.getDynamodb().getSequenceNumber(), pushable.get()));
                } else {
                    // Retrying cannot make it pushable; the stream's filter criteria should keep these out.
                    metrics.count("RecordsSkipped");
                    LOG.warn("stream record not pushable, skipped eventName={} sequenceNumber={}", record.getEventName(),
                            record.getDynamodb() == null ? null : record.getDynamodb().getSequenceNumber());
                }
            }
            List<String> failed = fanout.deliver(batch, new ManagementApiSender(management, backoff, counters), counters);
            metrics.count("RecordsFailed", failed.size());
            List<StreamsEventResponse.BatchItemFailure> failures = failed.stream()
                    .map(StreamsEventResponse.BatchItemFailure::new).toList();
            return new StreamsEventResponse(failures);
        } finally {
            counters.copyTo(metrics);
            metrics.flush();
        }
    }

    static Optional<StoredEvent> pushable(DynamodbEvent.DynamodbStreamRecord record) {
        if (!"INSERT".equals(record.getEventName()) || record.getDynamodb() == null || record.getDynamodb().getNewImage() == null) {
            return Optional.empty();
        }
        Map<String, AttributeValue> image = record.getDynamodb().getNewImage();
        String tenantId = text(image, "tenantId");
        String cursor = text(image, "cursor");
        String body = text(image, "body");
        Optional<Channel> channel = Channel.fromWireName(text(image, "channel"));
        if (tenantId == null || cursor == null || body == null || channel.isEmpty()) {
            return Optional.empty();
        }
        // The delay users feel runs from the gateway's timestamp; events without one count from when they were stored.
        AttributeValue occurredAt = image.containsKey("occurredAt") ? image.get("occurredAt") : image.get("createdAt");
        long created = occurredAt == null || occurredAt.getN() == null ? 0 : Long.parseLong(occurredAt.getN());
        return Optional.of(new StoredEvent(tenantId, cursor, text(image, "type"), channel.get(), body, created));
    }

    private static String text(Map<String, AttributeValue> image, String name) {
        AttributeValue value = image.get(name);
        return value == null ? null : value.getS();
    }
}
