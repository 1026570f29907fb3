package io.inboxrelay.store;

import io.inboxrelay.config.Config;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.MessageStatus;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.StatusUpdate;
import io.inboxrelay.core.event.Cursors;
import io.inboxrelay.core.event.Envelopes;
import io.inboxrelay.core.event.PushEvent;
import io.inboxrelay.core.provider.ProviderAdapters;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * One bubble per reply, whichever the gateway tells first (docs/OUTBOUND.md "Echo reconciliation").
 *
 * <p>A reply is stored as {@code out-<client_id>} before the gateway has an id for it. The gateway then tells
 * of it twice: the send's answer (its id) and a webhook echo (Evolution {@code send.message}, WAHA
 * {@code message.any} with {@code fromMe}, Inbox Hub {@code message.sent}; Meta only {@code statuses}). Both
 * paths claim the gateway's id X with the same conditional write: an alias item at {@code <tenant>#X} — the key
 * the echo would be stored under — whose {@code aliasFor} names the reply. An echo that finds the alias is a
 * status of the reply. An echo that comes before the answer finds no alias yet, but finds the conversation's
 * in-flight item (the sender writes it before calling the gateway; a FIFO group per conversation keeps one send
 * in flight per conversation) and claims X itself when the text matches. A status that comes before the claim
 * (Meta) creates a receipt stub at the same key, which the claim reads back and applies.
 */
public final class SendReconciler {

    public static final String ALIAS_FOR = "aliasFor";
    public static final String ALIAS_AT = "aliasAt";
    public static final String IN_FLIGHT_MESSAGE_ID = "inFlightMessageId";
    public static final String FINGERPRINT = "fingerprint";
    public static final String IN_FLIGHT_AT = "inFlightAt";
    /** MessagesTable's TTL attribute: only in-flight items carry it (a sender that died leaves one behind). */
    public static final String EXPIRES_AT = "expiresAt";
    /** The message item's failure code ({@code timeout}, {@code not_on_whatsapp}, …) beside its reason. */
    public static final String STATUS_CODE = "statusCode";
    /** The status code a timed-out send fails with: the only failure an echo may still turn into "sent". */
    public static final String TIMEOUT_CODE = "timeout";

    static final Duration IN_FLIGHT_TTL = Duration.ofDays(1);
    private static final Logger LOG = LoggerFactory.getLogger(SendReconciler.class);

    private final DynamoDbClient dynamo;
    private final Config config;
    private final Clock clock;

    public SendReconciler(DynamoDbClient dynamo, Config config, Clock clock) {
        this.dynamo = dynamo;
        this.config = config;
        this.clock = clock;
    }

    public enum Claim {
        /** This call attached the gateway's id to the reply. */
        CLAIMED,
        /** An earlier call (the echo, or a retried answer) already had. */
        ALREADY_MINE,
        /** The id is another message's: an echo stored as its own message before the reply could claim it. */
        TAKEN_BY_OTHER
    }

    /**
     * What a reply looks like in its echo. Gateways report voice notes, audio and documents under different
     * kinds, so media is matched as media with its caption; text with its whitespace normalised (a gateway
     * may trim it).
     *
     * @param mediaKind null for a text message, any kind for media
     */
    public static String fingerprint(String text, String mediaKind) {
        String normalised = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        String subject = (mediaKind == null ? "text:" : "media:") + normalised;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(subject.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static String fingerprintOf(InboundMessage echo) {
        String mediaKind = echo.media() == null ? null : echo.kind().wireName();
        String text = echo.media() == null ? echo.text() : echo.media().caption();
        return fingerprint(text, mediaKind);
    }

    public static String inFlightPk(String tenantId, String conversationId) {
        return tenantId + "#inflight#" + conversationId;
    }

    /** Called by the sender right before it hands the reply to the gateway. */
    public void markInFlight(String tenantId, String conversationId, String messageId, String fingerprint) {
        Instant now = clock.instant();
        dynamo.putItem(r -> r.tableName(config.messagesTable()).item(new Attrs.Item()
                .put(MessageItems.PK, inFlightPk(tenantId, conversationId))
                .put("tenantId", tenantId)
                .put(IN_FLIGHT_MESSAGE_ID, messageId)
                .put(FINGERPRINT, fingerprint)
                .put(IN_FLIGHT_AT, now.toEpochMilli())
                .put(EXPIRES_AT, now.plus(IN_FLIGHT_TTL).getEpochSecond())
                .build()));
    }

    /** Called by the sender when the send failed: an echo can no longer be this reply's. */
    public void clearInFlight(String tenantId, String conversationId, String messageId) {
        try {
            dynamo.deleteItem(r -> r.tableName(config.messagesTable())
                    .key(Map.of(MessageItems.PK, Attrs.s(inFlightPk(tenantId, conversationId))))
                    .conditionExpression("#m = :m")
                    .expressionAttributeNames(Map.of("#m", IN_FLIGHT_MESSAGE_ID))
                    .expressionAttributeValues(Map.of(":m", Attrs.s(messageId))));
        } catch (ConditionalCheckFailedException alreadyAnother) {
            // Gone, or already the next reply's: nothing of this one is left to clear.
        }
    }

    /**
     * The gateway's id is the reply's: the alias is written, the reply moves to {@code sent} (or further, if a
     * receipt came first) with the gateway's id recorded, and the in-flight item is cleared. Idempotent: the
     * answer and the echo may both call it, in either order, concurrently.
     *
     * @param gatewayMessageId the id as the gateway's send answered it (WAHA's serialized form is fine)
     */
    public Claim claim(Session session, String conversationId, String messageId, String gatewayMessageId) {
        String tenant = session.tenantId();
        String canonical = ProviderAdapters.canonicalMessageId(session.provider(), gatewayMessageId);
        Instant now = clock.instant();
        Update alias = new Update(config.messagesTable(), Map.of(MessageItems.PK, Attrs.s(MessageItems.pk(tenant, canonical))))
                .set("tenantId", tenant)
                .set(ALIAS_FOR, messageId)
                .set(ALIAS_AT, now.toEpochMilli());
        String aliasFor = alias.name(ALIAS_FOR);
        alias.condition("attribute_not_exists(" + alias.name(MessageItems.STORED_AT) + ") AND (attribute_not_exists(" + aliasFor
                + ") OR " + aliasFor + " = " + alias.value(Attrs.s(messageId)) + ")");
        Claim claim;
        Map<String, AttributeValue> before;
        try {
            before = dynamo.updateItem(alias.request().toBuilder().returnValues(ReturnValue.ALL_OLD).build()).attributes();
            claim = messageId.equals(Attrs.string(before, ALIAS_FOR)) ? Claim.ALREADY_MINE : Claim.CLAIMED;
        } catch (ConditionalCheckFailedException taken) {
            before = Map.of();
            claim = Claim.TAKEN_BY_OTHER;
            LOG.warn("gateway id already held by another message tenantId={} sessionId={} messageId={} gatewayMessageId={}",
                    tenant, session.sessionId(), messageId, canonical);
        }
        // A receipt that came before the claim (Meta's statuses can) waited on the alias item: it is the reply's.
        MessageStatus parked = statusOf(before);
        MessageStatus status = parked != null && parked.advances(MessageStatus.SENT) ? parked : MessageStatus.SENT;
        String reason = status == MessageStatus.FAILED ? Attrs.string(before, MessageItems.STATUS_REASON) : null;
        Long parkedAt = Attrs.number(before, MessageItems.STATUS_AT);
        Instant at = status == MessageStatus.SENT || parkedAt == null ? now : Instant.ofEpochMilli(parkedAt);
        advance(session, conversationId, messageId, gatewayMessageId, status, reason, at);
        clearInFlight(tenant, conversationId, messageId);
        return claim;
    }

    /**
     * Whose echo this outgoing message is: a reply's id when the gateway's id is claimed, or when the
     * conversation's send in flight has the same text (the echo came before the answer; this claims it now).
     * Empty for a message typed on the phone or elsewhere, which is stored as a message of its own.
     */
    public Optional<String> ownerOfEcho(Session session, InboundMessage echo) {
        String tenant = session.tenantId();
        Map<String, AttributeValue> held = dynamo.getItem(r -> r.tableName(config.messagesTable())
                .key(Map.of(MessageItems.PK, Attrs.s(MessageItems.pk(tenant, echo.messageId()))))
                .consistentRead(true)
                .projectionExpression("#a, #s")
                .expressionAttributeNames(Map.of("#a", ALIAS_FOR, "#s", MessageItems.STORED_AT))).item();
        if (held != null && held.containsKey(MessageItems.STORED_AT)) {
            return Optional.empty();
        }
        String owner = Attrs.string(held, ALIAS_FOR);
        if (owner != null) {
            return Optional.of(owner);
        }
        Map<String, AttributeValue> inFlight = dynamo.getItem(r -> r.tableName(config.messagesTable())
                .key(Map.of(MessageItems.PK, Attrs.s(inFlightPk(tenant, echo.conversationId()))))
                .consistentRead(true)).item();
        String candidate = Attrs.string(inFlight, IN_FLIGHT_MESSAGE_ID);
        if (candidate == null || !fingerprintOf(echo).equals(Attrs.string(inFlight, FINGERPRINT))) {
            return Optional.empty();
        }
        Claim claim = claim(session, echo.conversationId(), candidate, echo.providerMessageId() != null
                ? echo.providerMessageId() : echo.messageId());
        return claim == Claim.TAKEN_BY_OTHER ? Optional.empty() : Optional.of(candidate);
    }

    /**
     * Moves the reply's status forward with its event; {@code sent} also lifts a {@code failed} that was only a
     * timeout (the gateway did send it after all). Records the gateway's id either way.
     */
    private void advance(Session session, String conversationId, String messageId, String gatewayMessageId, MessageStatus status,
            String reason, Instant at) {
        String tenant = session.tenantId();
        Map<String, AttributeValue> key = Map.of(MessageItems.PK, Attrs.s(MessageItems.pk(tenant, messageId)));
        Update write = new Update(config.messagesTable(), key)
                .set(MessageItems.PROVIDER_MESSAGE_ID, gatewayMessageId)
                .set(MessageItems.STATUS, status.wireName())
                .set(MessageItems.STATUS_RANK, status.rank())
                .set(MessageItems.STATUS_AT, at.toEpochMilli())
                .set(MessageItems.STATUS_REASON, reason);
        if (status != MessageStatus.FAILED) {
            write.remove(MessageItems.STATUS_REASON).remove(STATUS_CODE);
        }
        String rank = write.name(MessageItems.STATUS_RANK);
        String code = write.name(STATUS_CODE);
        write.condition("attribute_exists(" + write.name(MessageItems.STORED_AT) + ") AND (" + rank + " < "
                + write.value(Attrs.n(status.rank())) + " OR " + code + " = " + write.value(Attrs.s(TIMEOUT_CODE)) + ")");
        Instant now = clock.instant();
        PushEvent event = Envelopes.messageStatus(tenant, Cursors.next(now), new StatusUpdate(messageId, conversationId, status,
                reason, at), conversationId);
        try {
            dynamo.transactWriteItems(r -> r.transactItems(List.of(write.transactItem(),
                    EventItems.put(config.eventsTable(), event, now, config.eventTtl()))));
        } catch (TransactionCanceledException alreadyThere) {
            // Already at this status or beyond (the other path got here first): record the gateway's id only.
            dynamo.updateItem(new Update(config.messagesTable(), key)
                    .set(MessageItems.PROVIDER_MESSAGE_ID, gatewayMessageId)
                    .condition("attribute_exists(" + MessageItems.PK + ")")
                    .request());
        }
    }

    private static MessageStatus statusOf(Map<String, AttributeValue> item) {
        String status = Attrs.string(item, MessageItems.STATUS);
        return status == null ? null : MessageStatus.fromWireName(status);
    }
}
