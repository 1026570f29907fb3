package io.inboxrelay.local.queue;

/**
 * A request SQS refuses, as SQS answers it: the error code of its JSON protocol ({@code __type}
 * after the {@code #}), the code its query protocol used (the {@code x-amzn-query-error} header the
 * SDK reports as the error code), and the message.
 */
public final class SqsError extends RuntimeException {

    private final String type;
    private final String queryCode;

    private SqsError(String type, String queryCode, String message) {
        super(message);
        this.type = type;
        this.queryCode = queryCode;
    }

    /** The JSON protocol's error type, e.g. QueueDoesNotExist. */
    public String type() {
        return type;
    }

    /** The query protocol's code, e.g. AWS.SimpleQueueService.NonExistentQueue. */
    public String queryCode() {
        return queryCode;
    }

    public static SqsError queueDoesNotExist() {
        return new SqsError("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.");
    }

    public static SqsError invalidParameterValue(String message) {
        return new SqsError("InvalidParameterValue", "InvalidParameterValue", message);
    }

    public static SqsError invalidMessageContents() {
        return new SqsError("InvalidMessageContents", "InvalidMessageContents",
                "Invalid binary character in the message body: only #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF are allowed.");
    }

    public static SqsError missingParameter(String name) {
        return new SqsError("MissingParameter", "MissingParameter", "The request must contain the parameter " + name + ".");
    }

    public static SqsError receiptHandleIsInvalid(String handle) {
        return new SqsError("ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", "The input receipt handle \"" + handle + "\" is not a valid receipt handle.");
    }

    public static SqsError messageNotInflight() {
        return new SqsError("MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight", "The message referred to isn't in flight.");
    }

    public static SqsError emptyBatchRequest() {
        return new SqsError("EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest", "There should be at least one SendMessageBatchRequestEntry in the request.");
    }

    public static SqsError tooManyEntriesInBatchRequest(int entries) {
        return new SqsError("TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                "Maximum number of entries per request are 10. You have sent " + entries + ".");
    }

    public static SqsError batchEntryIdsNotDistinct(String id) {
        return new SqsError("BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "Id " + id + " repeated.");
    }

    public static SqsError invalidBatchEntryId() {
        return new SqsError("InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId",
                "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.");
    }

    public static SqsError batchRequestTooLong(int bytes, int limit) {
        return new SqsError("BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong",
                "Batch requests cannot be longer than " + limit + " bytes. You have sent " + bytes + " bytes.");
    }

    public static SqsError invalidAttributeName(String name) {
        return new SqsError("InvalidAttributeName", "InvalidAttributeName", "Unknown Attribute " + name + ".");
    }

    public static SqsError unsupportedOperation(String operation) {
        return new SqsError("UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation",
                operation + " is not supported by the local SQS endpoint.");
    }
}
