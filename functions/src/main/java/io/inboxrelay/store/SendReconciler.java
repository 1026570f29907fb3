package io.inboxrelay.store;

import io.inboxrelay.config.Config;
import io.inboxrelay.core.MessageStatus;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.StatusUpdate;
import io.inboxrelay.core.event.Cursors;
import io.inboxrelay.core.event.Envelopes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * PLACEHOLDER until the coordinator's SendReconciler lands on main (contract C): the same API, without the alias
 * claim. Deleted at that merge.
 */
public final class SendReconciler {

    public enum Claim { CLAIMED, ALREADY_MINE, TAKEN_BY_OTHER }

    private final DynamoDbClient dynamo;
    private final Config config;
    private final Clock clock;

    public SendReconciler(DynamoDbClient dynamo, Config config, Clock clock) {
        this.dynamo = dynamo;
        this.config = config;
        this.clock = clock;
    }

    public static String fingerprint(String text, String mediaKind) {
        String normalised = (mediaKind == null ? "" : mediaKind + ":") + (text == null ? "" : text.strip().replaceAll("\\s+", " "));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(normalised.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void markInFlight(String tenantId, String conversationId, String messageId, String fingerprint) {
        Instant now = clock.instant();
        dynamo.putItem(r -> r.tableName(config.messagesTable()).item(new Attrs.Item()
                .put(MessageItems.PK, tenantId + "#inflight#" + conversationId)
                .put("tenantId", tenantId)
                .put("messageId", messageId)
                .put("fingerprint", fingerprint)
                .put("at", now.toEpochMilli())
                .put("ttl", now.getEpochSecond() + 86_400)
                .build()));
    }

    public Claim claim(Session session, String conversationId, String messageId, String gatewayMessageId) {
        String tenant = session.tenantId();
        Instant now = clock.instant();
        Update write = new Update(config.messagesTable(), Map.of(MessageItems.PK, Attrs.s(MessageItems.pk(tenant, messageId))))
                .set(MessageItems.PROVIDER_MESSAGE_ID, gatewayMessageId)
                .set(MessageItems.STATUS, MessageStatus.SENT.wireName())
                .set(MessageItems.STATUS_RANK, MessageStatus.SENT.rank())
                .set(MessageItems.STATUS_AT, now.toEpochMilli());
        String rank = write.name(MessageItems.STATUS_RANK);
        write.condition(rank + " < " + write.value(Attrs.n(MessageStatus.SENT.rank())));
        StatusUpdate update = new StatusUpdate(messageId, conversationId, MessageStatus.SENT, null, now);
        try {
            dynamo.transactWriteItems(r -> r.transactItems(List.of(write.transactItem(), EventItems.put(config.eventsTable(),
                    Envelopes.messageStatus(tenant, Cursors.next(now), update, conversationId), now, config.eventTtl()))));
        } catch (TransactionCanceledException alreadySent) {
            return Claim.ALREADY_MINE;
        }
        clearInFlight(tenant, conversationId, messageId);
        return Claim.CLAIMED;
    }

    public void clearInFlight(String tenantId, String conversationId, String messageId) {
        try {
            dynamo.deleteItem(r -> r.tableName(config.messagesTable())
                .key(Map.of(MessageItems.PK, AttributeValue.fromS(tenantId + "#inflight#" + conversationId)))
                .conditionExpression("messageId = :m")
                .expressionAttributeValues(Map.of(":m", AttributeValue.fromS(messageId))));
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException notMine) {
            // another send's
        }
    }
}
