package io.inboxrelay.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * A DynamoDB stream event source mapping: a {@code Type: DynamoDB} event of a function.
 *
 * @param functionId              the function it invokes
 * @param tableId                 the table whose stream it reads
 * @param startingPosition        LATEST or TRIM_HORIZON
 * @param batchSize               BatchSize (default 100)
 * @param batchingWindow          MaximumBatchingWindowInSeconds (default 0)
 * @param parallelizationFactor   ParallelizationFactor: concurrent batches per shard (default 1, 1..10)
 * @param filters                 FilterCriteria patterns, each a JSON object; empty means every record
 * @param reportBatchItemFailures FunctionResponseTypes contains ReportBatchItemFailures
 * @param bisectOnError           BisectBatchOnFunctionError
 * @param maxRetries              MaximumRetryAttempts, -1 for unbounded (the default)
 * @param maxRecordAge            MaximumRecordAgeInSeconds, null for unbounded (the default)
 * @param onFailure               DestinationConfig.OnFailure.Destination as written, or null
 * @param enabled                 Enabled (default true)
 */
public record StreamMappingSpec(
        String functionId,
        String tableId,
        String startingPosition,
        int batchSize,
        Duration batchingWindow,
        int parallelizationFactor,
        List<JsonNode> filters,
        boolean reportBatchItemFailures,
        boolean bisectOnError,
        int maxRetries,
        Duration maxRecordAge,
        String onFailure,
        boolean enabled) {

    public StreamMappingSpec {
        if (parallelizationFactor < 1 || parallelizationFactor > 10) {
            throw new IllegalArgumentException("ParallelizationFactor of " + functionId + " is " + parallelizationFactor
                    + "; Lambda accepts 1 to 10");
        }
        if (!"LATEST".equals(startingPosition) && !"TRIM_HORIZON".equals(startingPosition)) {
            throw new IllegalArgumentException("StartingPosition of " + functionId + " is " + startingPosition
                    + "; a DynamoDB stream mapping takes LATEST or TRIM_HORIZON");
        }
    }

    /** The same mapping reading from another starting position. */
    public StreamMappingSpec withStartingPosition(String position) {
        return new StreamMappingSpec(functionId, tableId, position, batchSize, batchingWindow, parallelizationFactor, filters,
                reportBatchItemFailures, bisectOnError, maxRetries, maxRecordAge, onFailure, enabled);
    }

    /** The same mapping with another ParallelizationFactor. */
    public StreamMappingSpec withParallelizationFactor(int factor) {
        return new StreamMappingSpec(functionId, tableId, startingPosition, batchSize, batchingWindow, factor, filters,
                reportBatchItemFailures, bisectOnError, maxRetries, maxRecordAge, onFailure, enabled);
    }
}
