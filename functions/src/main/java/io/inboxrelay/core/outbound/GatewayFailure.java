package io.inboxrelay.core.outbound;

import io.inboxrelay.core.Provider;
import java.time.Duration;

/**
 * Why a gateway call failed, in the gateway's words, and whether the outbox may try again later.
 *
 * @param provider   the gateway
 * @param operation  what was asked ({@code sendText}, {@code markRead}, …)
 * @param kind       the failure, across gateways
 * @param httpStatus the gateway's HTTP status, or 0 when no answer came (connect error, timeout)
 * @param code       the gateway's own error code (Meta {@code 131047}, Inbox Hub {@code not_on_whatsapp}), or null
 * @param reason     readable, for the agent's "failed" bubble and the logs; never holds a credential
 * @param retryAfter how long the gateway asked to wait ({@code Retry-After}), or null
 */
public record GatewayFailure(Provider provider, String operation, Kind kind, int httpStatus, String code, String reason,
        Duration retryAfter) {

    /** The longest gateway reason kept: enough for any documented message, short enough for a status push. */
    static final int MAX_REASON = 300;

    public enum Kind {
        /** Meta 131047: the customer last wrote more than 24 hours ago; only a template can be sent. */
        OUTSIDE_WINDOW(false),
        /** The number has no WhatsApp account (Evolution {@code exists:false}, Meta 131026). */
        NOT_ON_WHATSAPP(false),
        /** The credential was refused (401/403, Meta 190): fix the session's credentials. */
        UNAUTHORIZED(false),
        /** The gateway does not know the session/instance/message (404). */
        NOT_FOUND(false),
        /** The gateway refused the request as malformed (400/422 validation). */
        REJECTED(false),
        /** The gateway's session is not connected to WhatsApp (WAHA 422 not WORKING, Meta 133010): may recover. */
        SESSION_NOT_CONNECTED(true),
        /** Too many requests (429, Meta 4/80007/130429/131056): try later. */
        RATE_LIMITED(true),
        /** The gateway failed (5xx, Meta 1/2/131000/131016). */
        UNAVAILABLE(true),
        /** No answer in time: the request may or may not have taken effect. */
        TIMEOUT(true),
        /** No connection could be made: nothing was sent. */
        CONNECTION(true),
        /** The media is larger than can be carried (Lambda's 6 MB synchronous response, or the gateway's limit). */
        TOO_LARGE(false),
        /** The gateway answered success with a body this client cannot read (no message id). */
        UNREADABLE_RESPONSE(false),
        /** The gateway's API cannot do this at all. */
        NOT_SUPPORTED(false);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    public GatewayFailure {
        reason = reason == null || reason.isBlank() ? kind.name().toLowerCase() : truncate(reason.strip());
    }

    /** Whether the outbox may try again later (never for a decision the gateway made about this message). */
    public boolean retryable() {
        return kind.retryable();
    }

    /** For logs and exception messages: provider, operation, kind, status and code, and the gateway's reason. */
    public String describe() {
        StringBuilder text = new StringBuilder()
                .append(provider.wireName()).append(' ').append(operation).append(" failed: ").append(kind);
        if (httpStatus > 0) {
            text.append(" (HTTP ").append(httpStatus);
            if (code != null) {
                text.append(", code ").append(code);
            }
            text.append(')');
        } else if (code != null) {
            text.append(" (code ").append(code).append(')');
        }
        text.append(": ").append(reason);
        if (retryAfter != null) {
            text.append(" [retry after ").append(retryAfter.toSeconds()).append(" s]");
        }
        return text.toString();
    }

    private static String truncate(String text) {
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON - 1) + "…";
    }
}
