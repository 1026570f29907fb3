package io.inboxrelay.local.template;

import java.time.Duration;

/**
 * An {@code AWS::SQS::Queue} of the template, with the attributes that decide how a message is
 * redelivered.
 *
 * @param logicalId         its logical id
 * @param name              its QueueName, else its logical id (CloudFormation would generate one)
 * @param visibilityTimeout VisibilityTimeout (default 30 s): how long a received message stays hidden
 * @param retention         MessageRetentionPeriod (default 4 days)
 * @param deadLetterQueueId the logical id RedrivePolicy's deadLetterTargetArn names, or null
 * @param maxReceiveCount   RedrivePolicy's maxReceiveCount, 0 when there is no redrive policy
 */
public record QueueSpec(String logicalId, String name, Duration visibilityTimeout, Duration retention,
                        String deadLetterQueueId, int maxReceiveCount) {

    public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RETENTION = Duration.ofSeconds(345_600);

    /** The queue's ARN in the local region and account, as {@code eventSourceARN} carries it. */
    public String arn() {
        return "arn:aws:sqs:" + SamTemplate.LOCAL_REGION + ":" + SamTemplate.LOCAL_ACCOUNT + ":" + name;
    }
}
