package io.inboxrelay.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.inboxrelay.config.Clients;
import io.inboxrelay.config.Config;
import io.inboxrelay.config.SendConfig;
import io.inboxrelay.core.outbound.GatewayClients;
import io.inboxrelay.core.outbound.GatewayHttp;
import io.inboxrelay.core.outbound.MediaLimits;
import io.inboxrelay.core.outbound.RetryPolicy;
import io.inboxrelay.observability.Metrics;
import io.inboxrelay.outbound.OutboxJob;
import io.inboxrelay.outbound.Sender;
import io.inboxrelay.secrets.SecretsCiphers;
import io.inboxrelay.store.DynamoSessionRegistry;
import io.inboxrelay.store.OutboundStore;
import io.inboxrelay.store.SendRateLimit;
import io.inboxrelay.store.SendReconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The outbox's consumer (SQS FIFO, batches of up to 10): each job through {@link Sender}. A job that should come back
 * later gets its visibility set to then and is reported failed; so is every later job of its message group in the
 * batch, because FIFO order within a conversation must hold (SQS would otherwise delete them as succeeded).
 */
public class SenderHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    /**
     * A job is started only with this much of the invocation left: a gateway call's whole budget (25 s, retries
     * included) and the writes around it. A send cut off by the function's timeout would come back and could go out
     * twice; a job that does not fit comes back at once to another invocation instead.
     */
    static final Duration TIME_FOR_A_JOB = RetryPolicy.DEFAULT.budget().plusSeconds(2);

    /** Reported failed without a new visibility: it comes back after the queue's own timeout (and to the DLQ in the end). */
    private static final Duration KEEP_VISIBILITY = Duration.ofSeconds(-1);

    private static final Logger LOG = LoggerFactory.getLogger(SenderHandler.class);

    private final Sender sender;
    private final SqsClient sqs;
    private final String queueUrl;

    public SenderHandler() {
        this(Clients.dynamo(), Config.fromEnv(), SendConfig.fromEnv(), Clients.sqs(), GatewayHttp.createDefault(), Clock.systemUTC());
    }

    public SenderHandler(DynamoDbClient dynamo, Config config, SendConfig send, SqsClient sqs, GatewayHttp gatewayHttp, Clock clock) {
        this(sender(dynamo, config, send, gatewayHttp, clock), sqs, send.outboxQueueUrl());
    }

    /** @param queueUrl the outbox, whose jobs' visibility a retry changes */
    public SenderHandler(Sender sender, SqsClient sqs, String queueUrl) {
        this.sender = sender;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    private static Sender sender(DynamoDbClient dynamo, Config config, SendConfig send, GatewayHttp gatewayHttp, Clock clock) {
        // Two views of the registry: the session without its webhook secrets, and its gateway credential opened.
        DynamoSessionRegistry opening = new DynamoSessionRegistry(dynamo, config.sessionsTable(), SecretsCiphers.fromEnv(), true);
        return new Sender(
                new OutboundStore(dynamo, config, clock),
                new DynamoSessionRegistry(dynamo, config.sessionsTable(), SecretsCiphers.fromEnv(), false),
                opening::gatewayConnection,
                new GatewayClients(gatewayHttp, MediaLimits.MAX_PROXY_BYTES),
                new SendRateLimit(dynamo, config.sessionsTable(), send.ratePerSecond(), send.burst()),
                new SendReconciler(dynamo, config, clock),
                clock,
                wait -> LockSupport.parkNanos(wait.toNanos()));
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        Metrics metrics = new Metrics("Sender");
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        Set<String> heldGroups = new HashSet<>();
        try {
            for (SQSEvent.SQSMessage message : event.getRecords()) {
                Map<String, String> attributes = message.getAttributes() == null ? Map.of() : message.getAttributes();
                String group = attributes.getOrDefault("MessageGroupId", message.getMessageId());
                if (heldGroups.contains(group)) {
                    failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                    // Visible again at once: behind the held job it cannot overtake it (FIFO), and left in flight for the
                    // queue's 180 s it would block the whole conversation, the held job included, that long.
                    delay(message, Duration.ZERO);
                    continue;
                }
                Duration retryAfter = run(message, attributes, context, metrics);
                if (retryAfter != null) {
                    heldGroups.add(group);
                    failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                    delay(message, retryAfter);
                }
            }
        } finally {
            metrics.flush();
        }
        return new SQSBatchResponse(failures);
    }

    /** @return null when the job is finished, else how long until it should be received again */
    private Duration run(SQSEvent.SQSMessage message, Map<String, String> attributes, Context context, Metrics metrics) {
        Duration spare = context == null ? Sender.MAX_IN_PROCESS_WAIT
                : Duration.ofMillis(context.getRemainingTimeInMillis()).minus(TIME_FOR_A_JOB);
        if (spare.isNegative()) {
            return Duration.ZERO;
        }
        try {
            OutboxJob job = OutboxJob.parse(message.getBody());
            Sender.Outcome outcome = sender.handle(job, receiveCount(attributes), metrics, spare);
            return outcome.done() ? null : outcome.retryAfter();
        } catch (IllegalArgumentException malformed) {
            // Never sendable; left to the dead-letter queue (alarmed) rather than dropped unseen.
            LOG.atError().addKeyValue("sqsMessageId", message.getMessageId()).addKeyValue("error", malformed.getMessage())
                    .log("outbox job unreadable");
            metrics.count("OutboxUnreadable");
            return KEEP_VISIBILITY;
        } catch (RuntimeException e) {
            // DynamoDB or KMS failing: SQS hands it back after the visibility timeout, at most maxReceiveCount times.
            LOG.atError().addKeyValue("sqsMessageId", message.getMessageId()).addKeyValue("error", e.getClass().getSimpleName())
                    .setCause(e).log("outbox job failed; SQS will redeliver it");
            metrics.count("OutboxErrors");
            return KEEP_VISIBILITY;
        }
    }

    private void delay(SQSEvent.SQSMessage message, Duration retryAfter) {
        if (retryAfter.isNegative() || queueUrl == null) {
            return;
        }
        int seconds = (int) Math.min(43_200, (retryAfter.toMillis() + 999) / 1_000);
        try {
            sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(message.getReceiptHandle()).visibilityTimeout(seconds));
        } catch (RuntimeException e) {
            // The job still comes back, after the queue's visibility timeout instead.
            LOG.atWarn().addKeyValue("sqsMessageId", message.getMessageId()).addKeyValue("error", e.getClass().getSimpleName())
                    .log("visibility not changed");
        }
    }

    private static int receiveCount(Map<String, String> attributes) {
        try {
            return Integer.parseInt(attributes.getOrDefault("ApproximateReceiveCount", "1"));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
