package io.inboxrelay.core.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;

/**
 * What the webhook endpoint answers.
 *
 * @param status      HTTP status
 * @param contentType {@code application/json}, or {@code text/plain} for Meta's challenge
 * @param body        response body
 * @param outcome     a short word for logs and metrics: stored, duplicate, ignored, verified, or the rejection reason code
 */
public record WebhookResponse(int status, String contentType, String body, String outcome) {

    public static WebhookResponse accepted(String status) {
        ObjectNode body = Json.object().put("status", status);
        return new WebhookResponse(200, "application/json", Json.write(body), status);
    }

    /** @param refused changes of the delivery refused because no session of this app owns their number (0: none) */
    public static WebhookResponse accepted(String status, int refused) {
        if (refused == 0) {
            return accepted(status);
        }
        ObjectNode body = Json.object().put("status", status).put("refused", refused)
                .put("message", refused + " change(s) name a phone_number_id no enabled session of this Meta app owns: register it");
        return new WebhookResponse(200, "application/json", Json.write(body), status);
    }

    public static WebhookResponse challenge(String challenge) {
        return new WebhookResponse(200, "text/plain", challenge, "verified");
    }

    /**
     * @param code    machine-readable ({@code bad_signature}, {@code unknown_session}, ...)
     * @param message what is wrong, for the gateway operator; never echoes secrets
     */
    public static WebhookResponse rejected(int status, String code, String message) {
        ObjectNode body = Json.object().put("error", code).put("message", message);
        return new WebhookResponse(status, "application/json", Json.write(body), code);
    }

    public boolean isRejection() {
        return status >= 400;
    }
}
