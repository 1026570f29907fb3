package io.inboxrelay.push;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.realtime.StoredEvent;
import java.math.BigInteger;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Which tenants a given-up stream batch concerned. Lambda's on-failure record names only the
 * batch's shard and sequence-number range (DDBStreamBatchInfo), so the records are read back from
 * the stream (it keeps them 24 hours).
 */
public final class GivenUpRecords {

    /** GetRecords calls per range: a batch is at most 10,000 records, a call returns up to 1,000. */
    private static final int MAX_CALLS = 20;

    private final DynamoDbStreamsClient streams;

    public GivenUpRecords(DynamoDbStreamsClient streams) {
        this.streams = streams;
    }

    /** The range of one on-failure record. */
    public record Range(String streamArn, String shardId, String start, String end) {

        /** @throws IllegalArgumentException when the body is not Lambda's on-failure record of a stream batch */
        public static Range parse(String body) {
            JsonNode info = Json.parse(body).path("DDBStreamBatchInfo");
            String arn = info.path("streamArn").asText(null);
            String shard = info.path("shardId").asText(null);
            String start = info.path("startSequenceNumber").asText(null);
            String end = info.path("endSequenceNumber").asText(null);
            if (arn == null || shard == null || start == null || end == null) {
                throw new IllegalArgumentException("not an on-failure record of a DynamoDB stream batch (no DDBStreamBatchInfo)");
            }
            return new Range(arn, shard, start, end);
        }
    }

    /**
     * The tenants of the given-up records, leaving out records that were themselves
     * {@code resync_required} markers (a marker for a marker would go round for as long as the
     * outage lasts; the first marker is already in the log for every resume to meet).
     */
    public Set<String> tenants(Range range) {
        Set<String> tenants = new LinkedHashSet<>();
        BigInteger end = new BigInteger(range.end());
        String iterator = streams.getShardIterator(r -> r.streamArn(range.streamArn()).shardId(range.shardId())
                .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(range.start())).shardIterator();
        for (int call = 0; call < MAX_CALLS && iterator != null; call++) {
            String current = iterator;
            GetRecordsResponse response = streams.getRecords(r -> r.shardIterator(current));
            for (Record record : response.records()) {
                if (new BigInteger(record.dynamodb().sequenceNumber()).compareTo(end) > 0) {
                    return tenants;
                }
                Map<String, AttributeValue> image = record.dynamodb().newImage();
                if (image == null || !image.containsKey("tenantId")) {
                    continue;
                }
                AttributeValue type = image.get("type");
                if (type == null || !StoredEvent.RESYNC_REQUIRED.equals(type.s())) {
                    tenants.add(image.get("tenantId").s());
                }
            }
            if (response.records().isEmpty() && response.nextShardIterator() != null && call > 2) {
                break; // an open shard with nothing more: the range is behind us
            }
            iterator = response.nextShardIterator();
        }
        return tenants;
    }
}
