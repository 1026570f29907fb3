package io.inboxrelay.local.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.local.LocalDynamo;
import io.inboxrelay.local.queue.LocalQueue.Counts;
import io.inboxrelay.local.queue.LocalQueue.Outgoing;
import io.inboxrelay.local.queue.LocalQueue.Received;
import io.inboxrelay.local.queue.LocalQueue.Sent;
import io.inboxrelay.local.template.QueueSpec;
import io.inboxrelay.local.template.SamTemplate;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The template's queues behind the SQS API, as the AWS SDK for Java v2 calls it (the AWS JSON 1.0
 * protocol: {@code POST /}, {@code X-Amz-Target: AmazonSQS.<Operation>}): SendMessage,
 * SendMessageBatch, ReceiveMessage, DeleteMessage, ChangeMessageVisibility, GetQueueUrl and
 * GetQueueAttributes, with SQS's validations and its error shapes (HTTP 400,
 * {@code {"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":…}} and the
 * {@code x-amzn-query-error} header the SDK reports as the error code). Other operations answer
 * UnsupportedOperation. Signatures are not checked: like DynamoDB Local, it serves local processes
 * only (no {@code Origin}, a loopback {@code Host}).
 */
public final class SqsEndpoint extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(SqsEndpoint.class);
    private static final String TARGET_PREFIX = "AmazonSQS.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    private static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;
    private static final int MAX_BATCH_ENTRIES = 10;
    private static final Pattern BATCH_ENTRY_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final Duration MAX_WAIT = Duration.ofSeconds(20);
    private static final List<String> ATTRIBUTE_NAMES = List.of("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed", "QueueArn", "VisibilityTimeout", "MessageRetentionPeriod", "MaximumMessageSize",
            "DelaySeconds", "ReceiveMessageWaitTimeSeconds", "RedrivePolicy", "FifoQueue", "ContentBasedDeduplication",
            "DeduplicationScope", "FifoThroughputLimit", "SqsManagedSseEnabled", "CreatedTimestamp", "LastModifiedTimestamp");

    private final LocalQueues queues;
    private final long createdAt = System.currentTimeMillis() / 1000;
    private volatile URI endpoint;

    public SqsEndpoint(LocalQueues queues) {
        this.queues = queues;
    }

    /** Where the endpoint listens, e.g. http://127.0.0.1:9324: queue URLs are built on it. Set once its server runs. */
    public void endpoint(URI value) {
        this.endpoint = value;
    }

    /** A queue's URL as SQS forms it: {@code <endpoint>/<account>/<QueueName>}. */
    public String queueUrl(LocalQueue queue) {
        return endpoint + "/" + SamTemplate.LOCAL_ACCOUNT + "/" + queue.spec().name();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long started = System.nanoTime();
        if (request.getHeaders().get("Origin") != null || !LocalDynamo.isLoopbackName(request.getHttpURI().getHost())) {
            Response.writeError(request, response, callback, 403, "the local SQS endpoint serves local processes only");
            return true;
        }
        String target = request.getHeaders().get("X-Amz-Target");
        String operation = target != null && target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : null;
        int status;
        String queueName = null;
        try {
            if (!"POST".equals(request.getMethod()) || operation == null) {
                throw SqsError.unsupportedOperation(target == null ? request.getMethod() + " without X-Amz-Target" : target);
            }
            JsonNode body;
            try (InputStream in = Content.Source.asInputStream(request)) {
                byte[] bytes = in.readNBytes(MAX_REQUEST_BYTES);
                body = bytes.length == 0 ? Json.object() : Json.MAPPER.readTree(bytes);
            }
            queueName = body.path("QueueUrl").isTextual() ? nameIn(body.path("QueueUrl").asText()) : body.path("QueueName").asText(null);
            ObjectNode result = switch (operation) {
                case "SendMessage" -> sendMessage(body);
                case "SendMessageBatch" -> sendMessageBatch(body);
                case "ReceiveMessage" -> receiveMessage(body);
                case "DeleteMessage" -> deleteMessage(body);
                case "ChangeMessageVisibility" -> changeMessageVisibility(body);
                case "GetQueueUrl" -> getQueueUrl(body);
                case "GetQueueAttributes" -> getQueueAttributes(body);
                default -> throw SqsError.unsupportedOperation(operation);
            };
            status = write(response, callback, 200, result);
        } catch (SqsError e) {
            status = error(response, callback, e);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            status = error(response, callback, SqsError.invalidParameterValue("The request body is not JSON."));
        }
        LOG.atInfo().addKeyValue("api", "sqs").addKeyValue("operation", operation).addKeyValue("queue", queueName)
                .addKeyValue("status", status).addKeyValue("tookMs", (System.nanoTime() - started) / 1_000_000).log("request");
        return true;
    }

    private ObjectNode sendMessage(JsonNode body) {
        LocalQueue queue = queue(body);
        Sent sent = queue.send(outgoing(body));
        ObjectNode result = Json.object();
        result.put("MD5OfMessageBody", sent.md5OfBody());
        result.put("MessageId", sent.messageId());
        if (sent.sequenceNumber() != null) {
            result.put("SequenceNumber", sent.sequenceNumber());
        }
        return result;
    }

    private ObjectNode sendMessageBatch(JsonNode body) {
        LocalQueue queue = queue(body);
        JsonNode entries = body.path("Entries");
        if (!entries.isArray() || entries.isEmpty()) {
            throw SqsError.emptyBatchRequest();
        }
        if (entries.size() > MAX_BATCH_ENTRIES) {
            throw SqsError.tooManyEntriesInBatchRequest(entries.size());
        }
        Set<String> ids = new HashSet<>();
        int bytes = 0;
        for (JsonNode entry : entries) {
            String id = entry.path("Id").asText("");
            if (!BATCH_ENTRY_ID.matcher(id).matches()) {
                throw SqsError.invalidBatchEntryId();
            }
            if (!ids.add(id)) {
                throw SqsError.batchEntryIdsNotDistinct(id);
            }
            bytes += entry.path("MessageBody").asText("").getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > queue.spec().maximumMessageSize()) {
            throw SqsError.batchRequestTooLong(bytes, queue.spec().maximumMessageSize());
        }
        ObjectNode result = Json.object();
        ArrayNode successful = result.putArray("Successful");
        ArrayNode failed = result.putArray("Failed");
        for (JsonNode entry : entries) {
            String id = entry.path("Id").asText();
            try {
                Sent sent = queue.send(outgoing(entry));
                ObjectNode ok = successful.addObject();
                ok.put("Id", id);
                ok.put("MessageId", sent.messageId());
                ok.put("MD5OfMessageBody", sent.md5OfBody());
                if (sent.sequenceNumber() != null) {
                    ok.put("SequenceNumber", sent.sequenceNumber());
                }
            } catch (SqsError e) {
                ObjectNode refused = failed.addObject();
                refused.put("Id", id);
                refused.put("SenderFault", true);
                refused.put("Code", e.type());
                refused.put("Message", e.getMessage());
            }
        }
        return result;
    }

    private static Outgoing outgoing(JsonNode request) {
        // The SDK checks MD5OfMessageAttributes against what it sent; attributes are refused rather than dropped unseen.
        if (request.path("MessageAttributes").size() > 0) {
            throw SqsError.invalidParameterValue("MessageAttributes are not supported by the local SQS endpoint; put the data in the body.");
        }
        return new Outgoing(
                request.path("MessageBody").isTextual() ? request.path("MessageBody").asText() : null,
                request.path("MessageGroupId").asText(null),
                request.path("MessageDeduplicationId").asText(null),
                request.path("DelaySeconds").isNumber() ? request.path("DelaySeconds").asInt() : null);
    }

    private ObjectNode receiveMessage(JsonNode body) {
        LocalQueue queue = queue(body);
        int max = body.path("MaxNumberOfMessages").asInt(1);
        if (max < 1 || max > MAX_BATCH_ENTRIES) {
            throw SqsError.invalidParameterValue("Value " + max + " for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.");
        }
        Duration visibility = body.path("VisibilityTimeout").isNumber()
                ? Duration.ofSeconds(body.path("VisibilityTimeout").asLong()) : queue.spec().visibilityTimeout();
        if (visibility.isNegative() || visibility.compareTo(LocalQueue.MAX_VISIBILITY_TIMEOUT) > 0) {
            throw SqsError.invalidParameterValue("Value " + visibility.toSeconds() + " for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200.");
        }
        Duration wait = Duration.ofSeconds(body.path("WaitTimeSeconds").asLong(0));
        if (wait.isNegative() || wait.compareTo(MAX_WAIT) > 0) {
            throw SqsError.invalidParameterValue("Value " + wait.toSeconds() + " for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.");
        }
        long deadline = System.nanoTime() + wait.toNanos();
        List<Received> received = queue.receive(max, visibility);
        while (received.isEmpty() && System.nanoTime() < deadline) {
            try {
                // Visibility timeouts end without a send to wake the wait: look again at least every 100 ms.
                queue.awaitSend(Duration.ofNanos(Math.min(deadline - System.nanoTime(), Duration.ofMillis(100).toNanos())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            received = queue.receive(max, visibility);
        }
        ObjectNode result = Json.object();
        if (received.isEmpty()) {
            return result;
        }
        Set<String> wanted = new HashSet<>();
        body.path("AttributeNames").forEach(name -> wanted.add(name.asText()));
        body.path("MessageSystemAttributeNames").forEach(name -> wanted.add(name.asText()));
        ArrayNode messages = result.putArray("Messages");
        for (Received message : received) {
            ObjectNode json = messages.addObject();
            json.put("MessageId", message.messageId());
            json.put("ReceiptHandle", message.receiptHandle());
            json.put("MD5OfBody", message.md5OfBody());
            json.put("Body", message.body());
            ObjectNode attributes = Json.object();
            message.attributes().forEach((name, value) -> {
                if (wanted.contains("All") || wanted.contains(name)) {
                    attributes.put(name, value);
                }
            });
            if (!attributes.isEmpty()) {
                json.set("Attributes", attributes);
            }
        }
        return result;
    }

    private ObjectNode deleteMessage(JsonNode body) {
        LocalQueue queue = queue(body);
        String handle = required(body, "ReceiptHandle");
        if (!LocalQueue.wellFormed(handle)) {
            throw SqsError.receiptHandleIsInvalid(handle);
        }
        queue.delete(handle);
        return Json.object();
    }

    private ObjectNode changeMessageVisibility(JsonNode body) {
        LocalQueue queue = queue(body);
        String handle = required(body, "ReceiptHandle");
        if (!body.path("VisibilityTimeout").isNumber()) {
            throw SqsError.missingParameter("VisibilityTimeout");
        }
        queue.changeVisibility(handle, Duration.ofSeconds(body.path("VisibilityTimeout").asLong()));
        return Json.object();
    }

    private ObjectNode getQueueUrl(JsonNode body) {
        String name = required(body, "QueueName");
        LocalQueue queue = queues.byName(name).orElseThrow(SqsError::queueDoesNotExist);
        return Json.object().put("QueueUrl", queueUrl(queue));
    }

    private ObjectNode getQueueAttributes(JsonNode body) {
        LocalQueue queue = queue(body);
        Set<String> wanted = new HashSet<>();
        for (JsonNode name : body.path("AttributeNames")) {
            if (!name.asText().equals("All") && !ATTRIBUTE_NAMES.contains(name.asText())) {
                throw SqsError.invalidAttributeName(name.asText());
            }
            wanted.add(name.asText());
        }
        Map<String, String> all = attributes(queue);
        ObjectNode attributes = Json.object();
        all.forEach((name, value) -> {
            if (wanted.contains("All") || wanted.contains(name)) {
                attributes.put(name, value);
            }
        });
        ObjectNode result = Json.object();
        if (!attributes.isEmpty()) {
            result.set("Attributes", attributes);
        }
        return result;
    }

    private Map<String, String> attributes(LocalQueue queue) {
        QueueSpec spec = queue.spec();
        Counts counts = queue.counts();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("ApproximateNumberOfMessages", Integer.toString(counts.visible()));
        attributes.put("ApproximateNumberOfMessagesNotVisible", Integer.toString(counts.inFlight()));
        attributes.put("ApproximateNumberOfMessagesDelayed", Integer.toString(counts.delayed()));
        attributes.put("QueueArn", spec.arn());
        attributes.put("VisibilityTimeout", Long.toString(spec.visibilityTimeout().toSeconds()));
        attributes.put("MessageRetentionPeriod", Long.toString(spec.retention().toSeconds()));
        attributes.put("MaximumMessageSize", Integer.toString(spec.maximumMessageSize()));
        attributes.put("DelaySeconds", Long.toString(spec.delay().toSeconds()));
        attributes.put("ReceiveMessageWaitTimeSeconds", "0");
        queues.get(spec.deadLetterQueueId()).ifPresent(deadLetters -> attributes.put("RedrivePolicy",
                "{\"deadLetterTargetArn\":\"" + deadLetters.arn() + "\",\"maxReceiveCount\":" + spec.maxReceiveCount() + "}"));
        if (spec.fifo()) {
            attributes.put("FifoQueue", "true");
            attributes.put("ContentBasedDeduplication", Boolean.toString(spec.contentBasedDeduplication()));
            attributes.put("DeduplicationScope", "queue");
            attributes.put("FifoThroughputLimit", "perQueue");
        }
        attributes.put("SqsManagedSseEnabled", "true");
        attributes.put("CreatedTimestamp", Long.toString(createdAt));
        attributes.put("LastModifiedTimestamp", Long.toString(createdAt));
        return attributes;
    }

    private LocalQueue queue(JsonNode body) {
        String url = required(body, "QueueUrl");
        return queues.byName(nameIn(url)).orElseThrow(SqsError::queueDoesNotExist);
    }

    /** The QueueName a queue URL ends with (SQS takes the last path segment, whatever the host). */
    private static String nameIn(String url) {
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    private static String required(JsonNode body, String name) {
        JsonNode value = body.path(name);
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw SqsError.missingParameter(name);
        }
        return value.asText();
    }

    private static int write(Response response, Callback callback, int status, ObjectNode body) {
        response.setStatus(status);
        response.getHeaders().put("Content-Type", CONTENT_TYPE);
        response.getHeaders().put("x-amzn-RequestId", UUID.randomUUID().toString());
        response.write(true, ByteBuffer.wrap(Json.write(body).getBytes(StandardCharsets.UTF_8)), callback);
        return status;
    }

    private static int error(Response response, Callback callback, SqsError error) {
        response.getHeaders().put("x-amzn-query-error", error.queryCode() + ";Sender");
        ObjectNode body = Json.object();
        body.put("__type", "com.amazonaws.sqs#" + error.type());
        body.put("message", error.getMessage());
        return write(response, callback, 400, body);
    }
}
