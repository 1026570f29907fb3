package io.inboxrelay.local.stream;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Converts DynamoDB Streams records (SDK v2) into what Lambda hands a stream function: the
 * aws-lambda-java-events {@code DynamodbEvent}, and the same record as JSON, which is also what
 * filter criteria are matched against.
 */
final class StreamRecords {

    private StreamRecords() {
    }

    static ObjectNode json(Record record, String streamArn, String region) {
        ObjectNode json = Json.object();
        json.put("eventID", record.eventID());
        json.put("eventName", record.eventNameAsString());
        json.put("eventVersion", "1.1");
        json.put("eventSource", "aws:dynamodb");
        json.put("awsRegion", region);
        ObjectNode dynamodb = json.putObject("dynamodb");
        var stream = record.dynamodb();
        if (stream.approximateCreationDateTime() != null) {
            dynamodb.put("ApproximateCreationDateTime", stream.approximateCreationDateTime().getEpochSecond());
        }
        if (stream.hasKeys()) {
            dynamodb.set("Keys", image(stream.keys()));
        }
        if (stream.hasNewImage()) {
            dynamodb.set("NewImage", image(stream.newImage()));
        }
        if (stream.hasOldImage()) {
            dynamodb.set("OldImage", image(stream.oldImage()));
        }
        dynamodb.put("SequenceNumber", stream.sequenceNumber());
        dynamodb.put("SizeBytes", stream.sizeBytes());
        dynamodb.put("StreamViewType", stream.streamViewTypeAsString());
        json.put("eventSourceARN", streamArn);
        return json;
    }

    static DynamodbEvent event(List<Record> records, String streamArn, String region) {
        List<DynamodbEvent.DynamodbStreamRecord> converted = new ArrayList<>();
        for (Record record : records) {
            DynamodbEvent.DynamodbStreamRecord target = new DynamodbEvent.DynamodbStreamRecord();
            target.setEventID(record.eventID());
            target.setEventName(record.eventNameAsString());
            target.setEventVersion("1.1");
            target.setEventSource("aws:dynamodb");
            target.setAwsRegion(region);
            target.setEventSourceARN(streamArn);
            var source = record.dynamodb();
            StreamRecord stream = new StreamRecord();
            if (source.approximateCreationDateTime() != null) {
                stream.setApproximateCreationDateTime(Date.from(source.approximateCreationDateTime()));
            }
            if (source.hasKeys()) {
                stream.setKeys(attributes(source.keys()));
            }
            if (source.hasNewImage()) {
                stream.setNewImage(attributes(source.newImage()));
            }
            if (source.hasOldImage()) {
                stream.setOldImage(attributes(source.oldImage()));
            }
            stream.setSequenceNumber(source.sequenceNumber());
            stream.setSizeBytes(source.sizeBytes());
            stream.setStreamViewType(com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType.fromValue(source.streamViewTypeAsString()));
            target.setDynamodb(stream);
            converted.add(target);
        }
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(converted);
        return event;
    }

    private static Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> attributes(Map<String, AttributeValue> image) {
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> converted = new LinkedHashMap<>();
        image.forEach((name, value) -> converted.put(name, attribute(value)));
        return converted;
    }

    private static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue attribute(AttributeValue value) {
        var target = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
        switch (value.type()) {
            case S -> target.setS(value.s());
            case N -> target.setN(value.n());
            case B -> target.setB(ByteBuffer.wrap(value.b().asByteArray()));
            case SS -> target.setSS(value.ss());
            case NS -> target.setNS(value.ns());
            case BS -> target.setBS(value.bs().stream().map(bytes -> ByteBuffer.wrap(bytes.asByteArray())).toList());
            case M -> target.setM(attributes(value.m()));
            case L -> target.setL(value.l().stream().map(StreamRecords::attribute).toList());
            case BOOL -> target.setBOOL(value.bool());
            case NUL -> target.setNULL(value.nul());
            default -> {
            }
        }
        return target;
    }

    /** An item image in DynamoDB JSON ({@code {"name":{"S":"x"}}}), as Lambda serialises it. */
    private static ObjectNode image(Map<String, AttributeValue> image) {
        ObjectNode json = Json.object();
        image.forEach((name, value) -> json.set(name, attributeJson(value)));
        return json;
    }

    private static ObjectNode attributeJson(AttributeValue value) {
        ObjectNode json = Json.object();
        switch (value.type()) {
            case S -> json.put("S", value.s());
            case N -> json.put("N", value.n());
            case B -> json.put("B", base64(value.b()));
            case SS -> value.ss().forEach(json.putArray("SS")::add);
            case NS -> value.ns().forEach(json.putArray("NS")::add);
            case BS -> {
                ArrayNode set = json.putArray("BS");
                value.bs().forEach(bytes -> set.add(base64(bytes)));
            }
            case M -> json.set("M", image(value.m()));
            case L -> {
                ArrayNode list = json.putArray("L");
                value.l().forEach(item -> list.add(attributeJson(item)));
            }
            case BOOL -> json.put("BOOL", value.bool());
            case NUL -> json.put("NULL", true);
            default -> {
            }
        }
        return json;
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArray());
    }
}
