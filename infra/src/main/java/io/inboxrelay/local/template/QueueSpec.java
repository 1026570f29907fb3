package io.inboxrelay.local.template;

import java.time.Duration;

/**
 * An {@code AWS::SQS::Queue} of the template, with the attributes that decide how a message is
 * accepted and redelivered.
 *
 * @param logicalId                 its logical id
 * @param name                      its QueueName, else its logical id (CloudFormation would generate one), with the
 *                                  {@code .fifo} suffix AWS requires of a FIFO queue's name
 * @param visibilityTimeout         VisibilityTimeout (default 30 s): how long a received message stays hidden
 * @param retention                 MessageRetentionPeriod (default 4 days)
 * @param deadLetterQueueId         the logical id RedrivePolicy's deadLetterTargetArn names, or null
 * @param maxReceiveCount           RedrivePolicy's maxReceiveCount, 0 when there is no redrive policy
 * @param fifo                      FifoQueue
 * @param contentBasedDeduplication ContentBasedDeduplication (FIFO only): the body's SHA-256 is the deduplication id
 * @param delay                     DelaySeconds (default 0): how long a new message stays hidden
 * @param maximumMessageSize        MaximumMessageSize in bytes (default 262,144)
 */
public record QueueSpec(String logicalId, String name, Duration visibilityTimeout, Duration retention,
                        String deadLetterQueueId, int maxReceiveCount, boolean fifo, boolean contentBasedDeduplication,
                        Duration delay, int maximumMessageSize) {

    public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RETENTION = Duration.ofSeconds(345_600);
    public static final int DEFAULT_MAXIMUM_MESSAGE_SIZE = 262_144;
    public static final String FIFO_SUFFIX = ".fifo";

    /** A standard queue with the default delay and size limit. */
    public QueueSpec(String logicalId, String name, Duration visibilityTimeout, Duration retention,
                     String deadLetterQueueId, int maxReceiveCount) {
        this(logicalId, name, visibilityTimeout, retention, deadLetterQueueId, maxReceiveCount, false, false,
                Duration.ZERO, DEFAULT_MAXIMUM_MESSAGE_SIZE);
    }

    /** The queue's ARN in the local region and account, as {@code eventSourceARN} carries it. */
    public String arn() {
        return "arn:aws:sqs:" + SamTemplate.LOCAL_REGION + ":" + SamTemplate.LOCAL_ACCOUNT + ":" + name;
    }
}
