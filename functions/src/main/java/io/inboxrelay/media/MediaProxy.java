package io.inboxrelay.media;

import io.inboxrelay.core.outbound.FetchedMedia;
import io.inboxrelay.core.outbound.GatewayClient;
import io.inboxrelay.core.outbound.GatewayClients;
import io.inboxrelay.core.outbound.GatewayConnection;
import io.inboxrelay.core.outbound.GatewayException;
import io.inboxrelay.core.outbound.GatewayFailure;
import io.inboxrelay.core.outbound.MediaLinks;
import io.inboxrelay.store.MessageItems;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code GET /api/messages/{messageId}/media}: the bytes of a stored message's media, fetched from the session's gateway
 * with the session's credentials and answered through Lambda, so at most {@code maxBytes} of them.
 */
public final class MediaProxy {

    private static final Logger LOG = LoggerFactory.getLogger(MediaProxy.class);
    /** Where the limit comes from, in every 413: a tenant asking "why not my video?" gets the answer. */
    static final String LIMIT_REASON = "Lambda's 6 MB response payload limit";
    /** Ids the read API lists are a gateway's ids or {@code out-<client id>}: never this long, never holding '#'. */
    private static final int MAX_ID_CHARS = 256;
    /** The send contract's alias item: a gateway id standing for the {@code out-…} message it was sent as. */
    private static final String ALIAS_FOR = "aliasFor";

    private final DynamoDbClient dynamo;
    private final String messagesTable;
    private final Function<String, Optional<GatewayConnection>> connections;
    private final GatewayClients clients;
    private final long maxBytes;

    /**
     * @param connections session id → its gateway connection with the credential opened, empty when none is stored
     */
    public MediaProxy(DynamoDbClient dynamo, String messagesTable, Function<String, Optional<GatewayConnection>> connections,
            GatewayClients clients, long maxBytes) {
        this.dynamo = dynamo;
        this.messagesTable = messagesTable;
        this.connections = connections;
        this.clients = clients;
        this.maxBytes = maxBytes;
    }

    /** The media of the tenant's message; another tenant's message answers exactly like a missing one. */
    public MediaOutcome fetch(String tenantId, String messageId) {
        Optional<MediaMessage> found = find(tenantId, messageId);
        if (found.isEmpty()) {
            return new MediaOutcome.Refused(404, "not_found", "no such message with media");
        }
        MediaMessage media = found.get();
        if (!media.available()) {
            return unavailable(media, "the gateway announced this media but has not downloaded it (WAHA media.available false, or "
                    + "no media link yet): it cannot be fetched until the gateway has the file");
        }
        if (media.fromMe() && media.providerMessageId() == null) {
            // An agent's reply still in the outbox: the gateway knows it by no id yet.
            return unavailable(media, "the gateway has not acknowledged this reply yet; try again once it is sent");
        }
        if (media.sizeBytes() != null && media.sizeBytes() > maxBytes) {
            return tooLarge(media, media.sizeBytes());
        }
        Optional<GatewayConnection> connection = media.sessionId() == null ? Optional.empty() : connections.apply(media.sessionId());
        if (connection.isEmpty()) {
            return unavailable(media, "session " + media.sessionId() + " has no gateway credentials: run `inbox-relay sessions "
                    + "credentials --session " + media.sessionId() + " --base-url URL --api-key -`");
        }
        GatewayClient client = clients.forConnection(connection.get());
        long announced = -1;
        try {
            FetchedMedia fetched = client.fetchMedia(media.reference());
            if (fetched instanceof FetchedMedia.Link link) {
                announced = link.sizeBytes();
                if (!MediaLinks.followable(link.url(), connection.get().baseUrl())) {
                    LOG.warn("media link not followed tenantId={} messageId={} sessionId={} provider={}", tenantId, media.messageId(),
                            media.sessionId(), client.provider().wireName());
                    return new MediaOutcome.Refused(502, "gateway_error", "the gateway pointed this media at a link the proxy does not "
                            + "follow (plain http off the gateway's own address, or a loopback, private or link-local address)");
                }
            }
            FetchedMedia.Bytes bytes = clients.download(client, fetched, maxBytes);
            if (bytes.data().length > maxBytes) {
                return tooLarge(media, bytes.data().length);
            }
            String type = MediaHeaders.contentType(bytes.contentType(), media.mimeType());
            LOG.info("media proxied tenantId={} messageId={} sessionId={} provider={} bytes={}", tenantId, media.messageId(),
                    media.sessionId(), client.provider().wireName(), bytes.data().length);
            return new MediaOutcome.Served(bytes.data(), type, MediaHeaders.contentDisposition(media.type(), type, media.fileName()));
        } catch (IllegalArgumentException e) {
            // The client needs an id or a link the message does not hold (or holds malformed); the exception's text may
            // quote the link, which can carry a credential, so it is not passed on.
            return unavailable(media, "the message holds no id or link this gateway can locate the media by");
        } catch (GatewayException e) {
            return refused(tenantId, media, e.failure(), announced);
        }
    }

    private Optional<MediaMessage> find(String tenantId, String messageId) {
        if (messageId == null || messageId.isBlank() || messageId.length() > MAX_ID_CHARS || messageId.indexOf('#') >= 0) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = read(tenantId, messageId);
        if (item != null && item.containsKey(ALIAS_FOR) && item.get(ALIAS_FOR).s() != null) {
            item = read(tenantId, item.get(ALIAS_FOR).s());
        }
        // Change markers and aliases share the table; only a stored message has media to give.
        if (item == null || !item.containsKey(MessageItems.STORED_AT)) {
            return Optional.empty();
        }
        return MediaMessage.fromItem(item);
    }

    private Map<String, AttributeValue> read(String tenantId, String messageId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(messagesTable).consistentRead(true)
                .key(Map.of(MessageItems.PK, AttributeValue.fromS(MessageItems.pk(tenantId, messageId))))).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private MediaOutcome refused(String tenantId, MediaMessage media, GatewayFailure failure, long announced) {
        LOG.warn("media not proxied tenantId={} messageId={} sessionId={} provider={} operation={} kind={} status={}", tenantId,
                media.messageId(), media.sessionId(), failure.provider().wireName(), failure.operation(), failure.kind(),
                failure.httpStatus());
        return switch (failure.kind()) {
            case TOO_LARGE -> tooLarge(media, announced > maxBytes ? announced : -1);
            case TIMEOUT -> new MediaOutcome.Refused(504, "gateway_timeout",
                    "the gateway did not answer in time: " + failure.reason() + "; try again");
            // The gateway no longer (or not yet) holds the file: nothing to fix on this side.
            case NOT_FOUND -> unavailable(media, "the gateway does not have this media: " + failure.reason());
            default -> new MediaOutcome.Refused(502, "gateway_error",
                    "the gateway refused the media (" + failure.kind().name().toLowerCase(java.util.Locale.ROOT)
                            + (failure.httpStatus() > 0 ? ", HTTP " + failure.httpStatus() : "") + "): " + failure.reason());
        };
    }

    private static MediaOutcome unavailable(MediaMessage media, String why) {
        return new MediaOutcome.Refused(409, "media_unavailable", "the media of message " + media.messageId() + " is unavailable: " + why);
    }

    /** @param size the exact size when known, else -1 ("more than the limit") */
    private MediaOutcome tooLarge(MediaMessage media, long size) {
        long known = size > maxBytes ? size : media.sizeBytes() != null && media.sizeBytes() > maxBytes ? media.sizeBytes() : -1;
        return new MediaOutcome.Refused(413, "media_too_large", tooLargeMessage(media.messageId(), known, maxBytes));
    }

    static String tooLargeMessage(String messageId, long size, long maxBytes) {
        return "the media of message " + messageId + " has " + (size > 0 ? size + " bytes" : "more than " + maxBytes + " bytes")
                + "; at most " + maxBytes + " can be proxied (" + LIMIT_REASON + ")";
    }
}
