package io.inboxrelay.local.template;

import java.time.Duration;

/**
 * An SQS event source mapping: a {@code Type: SQS} event of a function.
 *
 * @param functionId              the function it invokes
 * @param queueId                 the logical id of the queue it reads ({@code Queue: !GetAtt X.Arn})
 * @param batchSize               BatchSize (default 10)
 * @param batchingWindow          MaximumBatchingWindowInSeconds (default 0)
 * @param reportBatchItemFailures FunctionResponseTypes contains ReportBatchItemFailures
 * @param enabled                 Enabled (default true)
 */
public record QueueTriggerSpec(String functionId, String queueId, int batchSize, Duration batchingWindow,
                               boolean reportBatchItemFailures, boolean enabled) {
}
