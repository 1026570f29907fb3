package io.inboxrelay.outbound;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The outbox as an SQS FIFO queue: a message group per conversation, a deduplication id per job. */
public final class SqsOutbox implements Outbox {

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsOutbox(SqsClient sqs, String queueUrl) {
        if (queueUrl == null || queueUrl.isBlank()) {
            throw new IllegalStateException("OUTBOX_QUEUE_URL is not set (template.yaml sets it to the OutboxQueue)");
        }
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void enqueue(OutboxJob job) {
        try {
            sqs.sendMessage(r -> r.queueUrl(queueUrl)
                    .messageBody(job.toJson())
                    .messageGroupId(job.groupId())
                    .messageDeduplicationId(job.deduplicationId()));
        } catch (SdkException e) {
            throw new UnavailableException("the outbox did not take the job: " + e.getClass().getSimpleName(), e);
        }
    }
}
