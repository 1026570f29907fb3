package io.inboxrelay.local.queue;

import io.inboxrelay.local.template.QueueSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standard SQS queue of the template, in memory, with the redelivery rules Lambda relies on: a
 * received message is hidden for the queue's visibility timeout and comes back unless it is
 * deleted, each receive counts, a message received more than the redrive policy's maxReceiveCount
 * times moves to the dead-letter queue, and a message older than the retention period is dropped.
 */
public final class LocalQueue {

    private static final Logger LOG = LoggerFactory.getLogger(LocalQueue.class);
    /** What SenderId reads for messages the stack itself sends (Lambda's service principal in AWS). */
    static final String SENDER_ID = "AROA000000000LOCALSTACK:local-stack";

    private final QueueSpec spec;
    private final List<Message> messages = new ArrayList<>();
    private volatile LocalQueue deadLetterQueue;

    private static final class Message {
        final String id = UUID.randomUUID().toString();
        final String body;
        final String md5OfBody;
        final long sentAt;
        long firstReceivedAt;
        int receiveCount;
        long visibleAt;
        String receiptHandle;

        Message(String body, long sentAt) {
            this.body = body;
            this.md5OfBody = md5(body);
            this.sentAt = sentAt;
            this.visibleAt = sentAt;
        }
    }

    /**
     * One receive of a message, as Lambda hands it on.
     *
     * @param attributes SentTimestamp, ApproximateReceiveCount, ApproximateFirstReceiveTimestamp, SenderId
     */
    public record Received(String messageId, String receiptHandle, String body, String md5OfBody, Map<String, String> attributes) {
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

    /** @return the new message's id */
    public synchronized String send(String body) {
        Message message = new Message(body, System.currentTimeMillis());
        messages.add(message);
        return message.id;
    }

    private synchronized void accept(Message message) {
        messages.add(message);
    }

    /** Up to {@code max} visible messages, each hidden for the visibility timeout from now and given a new receipt handle. */
    public synchronized List<Received> receive(int max) {
        long now = System.currentTimeMillis();
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
            if (message.visibleAt > now) {
                continue;
            }
            if (spec.maxReceiveCount() > 0 && message.receiveCount >= spec.maxReceiveCount() && deadLetterQueue != null) {
                iterator.remove();
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
            message.visibleAt = now + spec.visibilityTimeout().toMillis();
            message.receiptHandle = message.id + "#" + message.receiveCount + "#" + UUID.randomUUID();
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("ApproximateReceiveCount", Integer.toString(message.receiveCount));
            attributes.put("SentTimestamp", Long.toString(message.sentAt));
            attributes.put("SenderId", SENDER_ID);
            attributes.put("ApproximateFirstReceiveTimestamp", Long.toString(message.firstReceivedAt));
            received.add(new Received(message.id, message.receiptHandle, message.body, message.md5OfBody, Collections.unmodifiableMap(attributes)));
        }
        return received;
    }

    /** Deletes a received message; a stale receipt handle (the message was received again since) deletes nothing, as in SQS. */
    public synchronized boolean delete(String receiptHandle) {
        return messages.removeIf(message -> receiptHandle.equals(message.receiptHandle));
    }

    /** How many messages can be received now (ApproximateNumberOfMessagesVisible). */
    public synchronized int visibleCount() {
        long now = System.currentTimeMillis();
        return (int) messages.stream().filter(message -> message.visibleAt <= now).count();
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

    private static String md5(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
