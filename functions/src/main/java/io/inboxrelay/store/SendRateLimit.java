package io.inboxrelay.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * How fast one session sends: the generic cell rate algorithm on the session's item, whose one attribute
 * {@code sendTat} (the theoretical arrival time, epoch microseconds) is the whole state. A quiet session sends
 * {@code burst} messages at once, then one every {@code 1 / ratePerSecond}: what keeps a Baileys-based number clear of
 * WhatsApp's spam heuristics. Every sender of every conversation of the session shares it, across containers.
 */
public final class SendRateLimit {

    static final String SEND_TAT = "sendTat";
    private static final int ATTEMPTS = 8;

    private final DynamoDbClient dynamo;
    private final String sessionsTable;
    private final long intervalMicros;
    private final long toleranceMicros;

    public SendRateLimit(DynamoDbClient dynamo, String sessionsTable, double ratePerSecond, int burst) {
        this.dynamo = dynamo;
        this.sessionsTable = sessionsTable;
        this.intervalMicros = Math.max(1, Math.round(1_000_000 / ratePerSecond));
        this.toleranceMicros = intervalMicros * burst;
    }

    /**
     * @param reserved whether the slot is taken (false: it is further away than the caller would wait; nothing changed)
     * @param delay    how long from now until the slot (zero: at once)
     */
    public record Slot(boolean reserved, Duration delay) {
    }

    /** Takes the session's next send slot if it is at most {@code maxWait} away; else only says when it will be. */
    public Slot reserve(String sessionId, Instant now, Duration maxWait) {
        long nowMicros = micros(now);
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(sessionsTable).key(key(sessionId)).consistentRead(true)
                    .projectionExpression("#t").expressionAttributeNames(Map.of("#t", SEND_TAT))).item();
            Long stored = Attrs.number(item == null ? Map.of() : item, SEND_TAT);
            long tat = stored == null ? nowMicros : Math.max(stored, nowMicros);
            long slot = Math.max(nowMicros, tat - toleranceMicros + intervalMicros);
            Duration wait = Duration.ofNanos((slot - nowMicros) * 1_000);
            if (wait.compareTo(maxWait) > 0) {
                return new Slot(false, wait);
            }
            Update write = new Update(sessionsTable, key(sessionId)).set(SEND_TAT, tat + intervalMicros);
            String name = write.name(SEND_TAT);
            write.condition("attribute_exists(" + write.name(SessionItems.SESSION_ID) + ") AND "
                    + (stored == null ? "attribute_not_exists(" + name + ")" : name + " = " + write.value(Attrs.n(stored))));
            try {
                dynamo.updateItem(write.request());
                return new Slot(true, wait);
            } catch (ConditionalCheckFailedException raced) {
                // Another sender of the session took a slot between the read and the write: read again.
                if (attempt >= ATTEMPTS) {
                    throw raced;
                }
            }
        }
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }

    private static Map<String, AttributeValue> key(String sessionId) {
        return Map.of(SessionItems.SESSION_ID, Attrs.s(sessionId));
    }
}
