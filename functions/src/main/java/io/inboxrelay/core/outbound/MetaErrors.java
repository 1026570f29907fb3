package io.inboxrelay.core.outbound;

import io.inboxrelay.core.outbound.GatewayFailure.Kind;
import java.util.Map;

/**
 * Meta's Cloud API error codes (developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes), as this system
 * acts on them. The same codes arrive in a {@code statuses[].errors[]} of a failed message's webhook, so the echo
 * reconciliation reads them here too.
 */
public final class MetaErrors {

    private static final Map<String, Kind> KINDS = Map.ofEntries(
            Map.entry("131047", Kind.OUTSIDE_WINDOW),
            Map.entry("131026", Kind.NOT_ON_WHATSAPP),
            Map.entry("133010", Kind.SESSION_NOT_CONNECTED),
            Map.entry("0", Kind.UNAUTHORIZED),
            Map.entry("10", Kind.UNAUTHORIZED),
            Map.entry("190", Kind.UNAUTHORIZED),
            Map.entry("4", Kind.RATE_LIMITED),
            Map.entry("80007", Kind.RATE_LIMITED),
            Map.entry("130429", Kind.RATE_LIMITED),
            Map.entry("131048", Kind.RATE_LIMITED),
            Map.entry("131056", Kind.RATE_LIMITED),
            Map.entry("1", Kind.UNAVAILABLE),
            Map.entry("2", Kind.UNAVAILABLE),
            Map.entry("131000", Kind.UNAVAILABLE),
            Map.entry("131016", Kind.UNAVAILABLE),
            Map.entry("100", Kind.REJECTED),
            Map.entry("131008", Kind.REJECTED),
            Map.entry("131009", Kind.REJECTED),
            Map.entry("131030", Kind.REJECTED),
            Map.entry("131051", Kind.REJECTED),
            Map.entry("131052", Kind.REJECTED),
            Map.entry("131053", Kind.REJECTED));

    private static final Map<String, String> REASONS = Map.of(
            "131047", "more than 24 hours have passed since the customer last replied: WhatsApp only allows a template "
                    + "message until they write again",
            "131026", "the message could not be delivered: the number may not be on WhatsApp, or may need to accept new terms",
            "133010", "the business phone number is not registered with the Cloud API",
            "190", "the access token has expired or was revoked: update the session's credentials",
            "130429", "Cloud API throughput limit reached: try again shortly",
            "131056", "too many messages to this customer in a short time: try again shortly");

    private MetaErrors() {
    }

    /** The kind of failure a Meta error code means; by the HTTP status when the code is not one this system knows. */
    public static Kind kind(String code, int httpStatus) {
        Kind known = code == null ? null : KINDS.get(code);
        if (known != null) {
            return known;
        }
        return httpStatus > 0 ? Calls.kindForStatus(httpStatus) : Kind.REJECTED;
    }

    /** A readable reason: ours for the codes an agent meets, else Meta's message and its details. */
    public static String reason(String code, String message, String details) {
        String ours = code == null ? null : REASONS.get(code);
        String theirs = details == null ? message : message == null ? details : message + ": " + details;
        if (ours == null) {
            return theirs;
        }
        return theirs == null ? ours + " (Meta " + code + ")" : ours + " (Meta " + code + ": " + theirs + ")";
    }
}
