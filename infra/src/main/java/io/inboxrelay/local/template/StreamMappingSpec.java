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
        List<JsonNode> filters,
        boolean reportBatchItemFailures,
        boolean bisectOnError,
        int maxRetries,
        Duration maxRecordAge,
        String onFailure,
        boolean enabled) {
}
