package io.inboxrelay.local.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What Lambda sends the event source mapping's on-failure destination for records it gave up on:
 * the batch's shard and sequence-number range, not the records themselves.
 *
 * @param condition   RetryAttemptsExhausted or RecordAgeExceeded
 * @param functionId  the function that failed
 * @param destination the template's OnFailure destination, or null when none is configured
 * @param body        the record as AWS shapes it (requestContext, responseContext, DDBStreamBatchInfo)
 */
public record OnFailureRecord(String condition, String functionId, String destination, ObjectNode body) {

    public long batchSize() {
        return body.path("DDBStreamBatchInfo").path("batchSize").asLong();
    }

    public String startSequenceNumber() {
        return body.path("DDBStreamBatchInfo").path("startSequenceNumber").asText();
    }
}
