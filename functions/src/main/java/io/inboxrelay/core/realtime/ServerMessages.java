package io.inboxrelay.core.realtime;

import io.inboxrelay.core.event.Channel;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.DiagnosticsJson;
import java.time.Instant;
import io.inboxrelay.core.Json;
import java.util.Collection;
import java.util.List;

/** The JSON the server sends back on the socket (route answers, as opposed to pushed events). */
public final class ServerMessages {

    public static final String MALFORMED = "malformed";
    public static final String UNKNOWN_TYPE = "unknown_type";
    public static final String UNKNOWN_CHANNEL = "unknown_channel";
    public static final String NOT_CONNECTED = "not_connected";
    /** Sent just before the server closes a socket whose token has expired: the client asks for a new token. */
    public static final String TOKEN_EXPIRED = "token_expired";

    private ServerMessages() {
    }

    public static String pong() {
        return Json.write(Json.object().put("type", "pong"));
    }

    public static String subscribed(Collection<Channel> channels) {
        ObjectNode root = Json.object().put("type", "subscribed");
        ArrayNode names = root.putArray("channels");
        Channels.wireNames(channels).forEach(names::add);
        return Json.write(root);
    }

    public static final String RATE_LIMITED = "rate_limited";

    /** The last page of a resume: the client is caught up. */
    public static String resumed(int count) {
        return Json.write(Json.object().put("type", "resumed").put("count", count).put("complete", true));
    }

    /** A page of a resume with more to come: the client asks for {@code {"type":"resume","after":next}}. */
    public static String resumedPage(int count, String next) {
        return Json.write(Json.object().put("type", "resumed").put("count", count).put("complete", false).put("next", next));
    }

    /**
     * The gap cannot be replayed event by event: reload through the read API, then carry on from
     * {@code cursor} (live events after it keep arriving on this socket).
     */
    public static String resyncRequired(String reason, String cursor) {
        return Json.write(Json.object().put("type", "resync_required").put("reason", reason).put("cursor", cursor));
    }

    public static String rateLimited(String message, long retryAfterMillis) {
        return Json.write(Json.object().put("type", "error").put("code", RATE_LIMITED).put("message", message)
                .put("retry_after_ms", retryAfterMillis));
    }

    public static String tokenExpired() {
        return error(TOKEN_EXPIRED, "the token this connection was opened with has expired: connect again with a new one");
    }

    public static String error(String code, String message) {
        return Json.write(Json.object().put("type", "error").put("code", code).put("message", message));
    }

    /**
     * The answer to a confused user's "why do I receive nothing?": the tenant's sessions, how many
     * sockets it has open and {@link TenantDiagnosis}'s verdict, the same the {@code status} tool prints.
     */
    public static String status(Connection connection, List<SessionStatus> sessions, int connections,
            TenantDiagnosis.Verdict verdict) {
        ObjectNode root = Json.object()
                .put("type", "status")
                .put("tenant_id", connection.tenantId())
                .put("connection_id", connection.connectionId())
                .put("user_id", connection.userId());
        ArrayNode channels = root.putArray("channels");
        Channels.wireNames(connection.channels()).forEach(channels::add);
        root.put("connections", connections);
        root.put("verdict", verdict.text());
        root.put("verdict_code", verdict.code().wireName());
        ArrayNode list = root.putArray("sessions");
        for (SessionStatus session : sessions) {
            ObjectNode node = list.addObject()
                    .put("session_id", session.sessionId())
                    .put("provider", session.provider())
                    .put("enabled", session.enabled())
                    .put("state", session.state());
            putMillis(node, "last_webhook_at", session.lastWebhookAt());
            node.put("last_error", session.lastError());
            putMillis(node, "last_success_at", session.lastSuccessAt());
            DiagnosticsJson.putLastRejection(node, session.lastRejection(),
                    session.lastRejectedAt() == null ? null : Instant.ofEpochMilli(session.lastRejectedAt()), DiagnosticsJson.Times.EPOCH_MILLIS);
            DiagnosticsJson.putRefusals(node, session.refusals(), DiagnosticsJson.Times.EPOCH_MILLIS);
        }
        return Json.write(root);
    }

    private static void putMillis(ObjectNode node, String field, Long epochMillis) {
        if (epochMillis == null) {
            node.putNull(field);
        } else {
            node.put(field, epochMillis);
        }
    }
}
