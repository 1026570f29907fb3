package io.inboxrelay.local.queue;

import io.inboxrelay.local.template.QueueSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SQS queue of the template, in memory, with the rules SQS and Lambda rely on: a received message
 * is hidden for the queue's visibility timeout (or what ChangeMessageVisibility set) and comes back
 * unless it is deleted, each receive counts, a message received more than the redrive policy's
 * maxReceiveCount times moves to the dead-letter queue, and a message older than the retention
 * period is dropped.
 *
 * <p>A FIFO queue also keeps SQS's FIFO rules: a message needs a MessageGroupId; a group's messages
 * are handed out in order, and none while an earlier one of the group is in flight; a second send
 * with a MessageDeduplicationId seen in the last five minutes (the body's SHA-256 with
 * ContentBasedDeduplication) adds nothing and answers the first send's MessageId; delays are the
 * queue's only.
 */
public final class LocalQueue {

    private static final Logger LOG = LoggerFactory.getLogger(LocalQueue.class);
    /** What SenderId reads for messages the stack itself sends (Lambda's service principal in AWS). */
    static final String SENDER_ID = "AROA000000000LOCALSTACK:local-stack";
    static final Duration DEDUPLICATION_INTERVAL = Duration.ofMinutes(5);
    static final Duration MAX_VISIBILITY_TIMEOUT = Duration.ofHours(12);
    private static final Duration MAX_DELAY = Duration.ofMinutes(15);
    /** MessageGroupId and MessageDeduplicationId: at most 128 of letters, digits and ASCII punctuation. */
    private static final Pattern FIFO_ID = Pattern.compile("[A-Za-z0-9!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~]{1,128}");

    private final QueueSpec spec;
    private final List<Message> messages = new ArrayList<>();
    /** Deduplication id → the send that first used it, in send order (so the expired ones are first). */
    private final Map<String, Remembered> recentDeduplicationIds = new LinkedHashMap<>();
    private long nextSequenceNumber = 18_000_000_000_000_000L;
    private volatile LocalQueue deadLetterQueue;

    private static final class Message {
        final String id = UUID.randomUUID().toString();
        final String body;
        final String md5OfBody;
        final long sentAt;
        final String groupId;
        final String deduplicationId;
        final String sequenceNumber;
        long firstReceivedAt;
        int receiveCount;
        long visibleAt;
        String receiptHandle;

        Message(String body, long sentAt, long visibleAt, String groupId, String deduplicationId, String sequenceNumber) {
            this.body = body;
            this.md5OfBody = md5(body);
            this.sentAt = sentAt;
            this.visibleAt = visibleAt;
            this.groupId = groupId;
            this.deduplicationId = deduplicationId;
            this.sequenceNumber = sequenceNumber;
        }

        boolean inFlight(long now) {
            return receiptHandle != null && visibleAt > now;
        }
    }

    /**
     * A SendMessage request.
     *
     * @param body            MessageBody
     * @param groupId         MessageGroupId (required on a FIFO queue), or null
     * @param deduplicationId MessageDeduplicationId (FIFO only), or null
     * @param delaySeconds    DelaySeconds (standard queues only), or null for the queue's
     */
    public record Outgoing(String body, String groupId, String deduplicationId, Integer delaySeconds) {

        public static Outgoing of(String body) {
            return new Outgoing(body, null, null, null);
        }
    }

    /** What SendMessage answers: the message's id, its body's MD5, and its SequenceNumber on a FIFO queue (else null). */
    public record Sent(String messageId, String md5OfBody, String sequenceNumber) {
    }

    /**
     * One receive of a message, as Lambda hands it on.
     *
     * @param attributes SentTimestamp, ApproximateReceiveCount, ApproximateFirstReceiveTimestamp, SenderId, and on a
     *                   FIFO queue MessageGroupId, MessageDeduplicationId, SequenceNumber
     */
    public record Received(String messageId, String receiptHandle, String body, String md5OfBody, Map<String, String> attributes) {
    }

    /** ApproximateNumberOfMessages (visible), ...NotVisible (in flight) and ...Delayed (sent, not yet visible). */
    public record Counts(int visible, int inFlight, int delayed) {
    }

    public LocalQueue(QueueSpec spec) {
        this.spec = spec;
    }

    public QueueSpec spec() {
        return spec;
    }

    public String arn() {
        return spec.arn();
    }

    void deadLetterQueue(LocalQueue queue) {
        this.deadLetterQueue = queue;
    }

    /** Sends a body to a standard queue (what Lambda's on-failure destinations do). @return the new message's id */
    public String send(String body) {
        return send(Outgoing.of(body)).messageId();
    }

    /** SendMessage, with SQS's validations. @throws SqsError what SQS would answer instead */
    public synchronized Sent send(Outgoing outgoing) {
        validate(outgoing);
        long now = System.currentTimeMillis();
        String deduplicationId = null;
        String sequenceNumber = null;
        if (spec.fifo()) {
            deduplicationId = outgoing.deduplicationId() != null ? outgoing.deduplicationId() : sha256(outgoing.body());
            forgetDeduplicationIdsBefore(now - DEDUPLICATION_INTERVAL.toMillis());
            Remembered original = recentDeduplicationIds.get(deduplicationId);
            if (original != null) {
                LOG.atDebug().addKeyValue("queue", spec.logicalId()).addKeyValue("messageId", original.sent().messageId())
                        .log("duplicate MessageDeduplicationId within five minutes: accepted, not added");
                return original.sent();
            }
            sequenceNumber = Long.toString(nextSequenceNumber++) + "0000";
        }
        long delay = outgoing.delaySeconds() != null ? outgoing.delaySeconds() * 1000L : spec.delay().toMillis();
        Message message = new Message(outgoing.body(), now, now + delay, outgoing.groupId(), deduplicationId, sequenceNumber);
        messages.add(message);
        Sent sent = new Sent(message.id, message.md5OfBody, sequenceNumber);
        if (deduplicationId != null) {
            recentDeduplicationIds.put(deduplicationId, new Remembered(sent, now));
        }
        notifyAll();
        return sent;
    }

    private record Remembered(Sent sent, long at) {
    }

    private void forgetDeduplicationIdsBefore(long cutoff) {
        Iterator<Remembered> iterator = recentDeduplicationIds.values().iterator();
        while (iterator.hasNext() && iterator.next().at() < cutoff) {
            iterator.remove();
        }
    }

    private void validate(Outgoing outgoing) {
        String body = outgoing.body();
        if (body == null) {
            throw SqsError.missingParameter("MessageBody");
        }
        if (body.isEmpty()) {
            throw SqsError.invalidParameterValue("The message body must be at least one character long.");
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > spec.maximumMessageSize()) {
            throw SqsError.invalidParameterValue("One or more parameters are invalid. Reason: Message must be shorter than "
                    + spec.maximumMessageSize() + " bytes.");
        }
        if (!body.codePoints().allMatch(LocalQueue::allowedInBody)) {
            throw SqsError.invalidMessageContents();
        }
        if (outgoing.delaySeconds() != null) {
            if (spec.fifo() && outgoing.delaySeconds() != 0) {
                throw SqsError.invalidParameterValue("Value " + outgoing.delaySeconds() + " for parameter DelaySeconds is invalid. "
                        + "Reason: The request include parameter that is not valid for this queue type.");
            }
            if (outgoing.delaySeconds() < 0 || outgoing.delaySeconds() > MAX_DELAY.toSeconds()) {
                throw SqsError.invalidParameterValue("Value " + outgoing.delaySeconds() + " for parameter DelaySeconds is invalid. "
                        + "Reason: DelaySeconds must be >= 0 and <= 900.");
            }
        }
        if (!spec.fifo()) {
            if (outgoing.deduplicationId() != null) {
                throw SqsError.invalidParameterValue("The request include parameter MessageDeduplicationId that is not valid for this queue type");
            }
            return;
        }
        if (outgoing.groupId() == null) {
            throw SqsError.missingParameter("MessageGroupId");
        }
        if (!FIFO_ID.matcher(outgoing.groupId()).matches()) {
            throw SqsError.invalidParameterValue("Value " + outgoing.groupId() + " for parameter MessageGroupId is invalid. "
                    + "Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
        }
        if (outgoing.deduplicationId() == null && !spec.contentBasedDeduplication()) {
            throw SqsError.invalidParameterValue("The queue should either have ContentBasedDeduplication enabled or "
                    + "MessageDeduplicationId provided explicitly");
        }
        if (outgoing.deduplicationId() != null && !FIFO_ID.matcher(outgoing.deduplicationId()).matches()) {
            throw SqsError.invalidParameterValue("Value " + outgoing.deduplicationId() + " for parameter MessageDeduplicationId is invalid. "
                    + "Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
        }
    }

    /** #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF, as SQS allows. */
    private static boolean allowedInBody(int c) {
        return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
    }

    private synchronized void accept(Message message) {
        messages.add(message);
        notifyAll();
    }

    /** Up to {@code max} messages, each hidden for the queue's visibility timeout from now and given a new receipt handle. */
    public List<Received> receive(int max) {
        return receive(max, spec.visibilityTimeout());
    }

    /**
     * Up to {@code max} receivable messages, each hidden for {@code visibility} from now and given a new
     * receipt handle. On a FIFO queue a group whose earlier message is in flight (or not yet visible)
     * gives nothing; a group that is free may give several, in order.
     */
    public synchronized List<Received> receive(int max, Duration visibility) {
        long now = System.currentTimeMillis();
        Set<String> blockedGroups = new HashSet<>();
        if (spec.fifo()) {
            messages.stream().filter(message -> message.inFlight(now)).forEach(message -> blockedGroups.add(message.groupId));
        }
        List<Received> received = new ArrayList<>();
        Iterator<Message> iterator = messages.iterator();
        while (iterator.hasNext() && received.size() < max) {
            Message message = iterator.next();
            if (now - message.sentAt > spec.retention().toMillis()) {
                iterator.remove();
                LOG.atWarn().addKeyValue("queue", spec.logicalId()).addKeyValue("messageId", message.id)
                        .log("message older than the queue's MessageRetentionPeriod deleted");
                continue;
            }
            if (spec.fifo() && blockedGroups.contains(message.groupId)) {
                continue;
            }
            if (message.visibleAt > now) {
                if (spec.fifo()) {
                    blockedGroups.add(message.groupId);
                }
                continue;
            }
            if (spec.maxReceiveCount() > 0 && message.receiveCount >= spec.maxReceiveCount() && deadLetterQueue != null) {
                iterator.remove();
                message.receiptHandle = null;
                message.visibleAt = now;
                deadLetterQueue.accept(message);
                LOG.atWarn().addKeyValue("queue", spec.logicalId()).addKeyValue("messageId", message.id)
                        .addKeyValue("deadLetterQueue", deadLetterQueue.spec.logicalId()).addKeyValue("receiveCount", message.receiveCount)
                        .log("message moved to the dead-letter queue (maxReceiveCount reached)");
                continue;
            }
            message.receiveCount++;
            if (message.firstReceivedAt == 0) {
                message.firstReceivedAt = now;
            }
            message.visibleAt = now + visibility.toMillis();
            message.receiptHandle = message.id + "#" + message.receiveCount + "#" + UUID.randomUUID();
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("ApproximateReceiveCount", Integer.toString(message.receiveCount));
            attributes.put("SentTimestamp", Long.toString(message.sentAt));
            attributes.put("SenderId", SENDER_ID);
            attributes.put("ApproximateFirstReceiveTimestamp", Long.toString(message.firstReceivedAt));
            if (spec.fifo()) {
                attributes.put("SequenceNumber", message.sequenceNumber);
                attributes.put("MessageGroupId", message.groupId);
                attributes.put("MessageDeduplicationId", message.deduplicationId);
            }
            received.add(new Received(message.id, message.receiptHandle, message.body, message.md5OfBody, Collections.unmodifiableMap(attributes)));
        }
        return received;
    }

    /** Waits up to {@code wait} for a send (ReceiveMessage's long polling). */
    synchronized void awaitSend(Duration wait) throws InterruptedException {
        wait(Math.max(1, wait.toMillis()));
    }

    /** Deletes a received message; a stale receipt handle (the message was received again since) deletes nothing, as in SQS. */
    public synchronized boolean delete(String receiptHandle) {
        return messages.removeIf(message -> receiptHandle.equals(message.receiptHandle));
    }

    /** Whether a receipt handle is one this stack could have given (DeleteMessage refuses others). */
    static boolean wellFormed(String receiptHandle) {
        return receiptHandle != null && receiptHandle.split("#", -1).length == 3;
    }

    /**
     * ChangeMessageVisibility: the message received with this handle becomes visible {@code timeout} from now
     * (0: at once). Works on a message a function holds, with the receipt handle of its SQSEvent.
     *
     * @throws SqsError ReceiptHandleIsInvalid (not a handle), MessageNotInflight (the message is visible),
     *                  InvalidParameterValue (deleted, received again since, or a timeout out of 0..43200 s)
     */
    public synchronized void changeVisibility(String receiptHandle, Duration timeout) {
        if (!wellFormed(receiptHandle)) {
            throw SqsError.receiptHandleIsInvalid(receiptHandle);
        }
        if (timeout.isNegative() || timeout.compareTo(MAX_VISIBILITY_TIMEOUT) > 0) {
            throw SqsError.invalidParameterValue("Value " + timeout.toSeconds() + " for parameter VisibilityTimeout is invalid. "
                    + "Reason: Must be between 0 and 43200.");
        }
        long now = System.currentTimeMillis();
        String id = receiptHandle.substring(0, receiptHandle.indexOf('#'));
        for (Message message : messages) {
            if (!message.id.equals(id)) {
                continue;
            }
            if (!message.inFlight(now)) {
                throw SqsError.messageNotInflight();
            }
            if (!receiptHandle.equals(message.receiptHandle)) {
                break;
            }
            message.visibleAt = now + timeout.toMillis();
            if (timeout.isZero()) {
                notifyAll();
            }
            return;
        }
        throw SqsError.invalidParameterValue("Value " + receiptHandle + " for parameter ReceiptHandle is invalid. "
                + "Reason: Message does not exist or is not available for visibility timeout change.");
    }

    /** How many messages can be received now (ApproximateNumberOfMessagesVisible). */
    public synchronized int visibleCount() {
        return counts().visible();
    }

    /** ApproximateNumberOfMessages, ApproximateNumberOfMessagesNotVisible, ApproximateNumberOfMessagesDelayed. */
    public synchronized Counts counts() {
        long now = System.currentTimeMillis();
        int visible = 0;
        int inFlight = 0;
        int delayed = 0;
        for (Message message : messages) {
            if (message.visibleAt <= now) {
                visible++;
            } else if (message.receiptHandle != null) {
                inFlight++;
            } else {
                delayed++;
            }
        }
        return new Counts(visible, inFlight, delayed);
    }

    /** When the oldest visible message was sent, or 0 when none is visible. */
    synchronized long oldestVisibleSentAt() {
        long now = System.currentTimeMillis();
        return messages.stream().filter(message -> message.visibleAt <= now).mapToLong(message -> message.sentAt).min().orElse(0);
    }

    /** The bodies of every message the queue holds, visible or not, oldest first. */
    public synchronized List<String> bodies() {
        return messages.stream().map(message -> message.body).toList();
    }

    static String md5(String body) {
        return hex("MD5", body);
    }

    private static String sha256(String body) {
        return hex("SHA-256", body);
    }

    private static String hex(String algorithm, String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
