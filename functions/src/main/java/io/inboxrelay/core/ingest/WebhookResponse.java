package io.inboxrelay.core.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.WebhookRejection;

/**
 * What the webhook endpoint answers.
 *
 * @param status      HTTP status
 * @param contentType {@code application/json}, or {@code text/plain} for Meta's challenge
 * @param body        response body
 * @param outcome     a short word for logs and metrics: stored, duplicate, ignored, verified, or the rejection reason code
 * @param rejection   what the session's diagnostics keep of a rejection; null when accepted
 * @param refusal     an accepted delivery's refused part (Meta changes for numbers the app does not own), counted
 *                    apart from the session's health; else null
 */
public record WebhookResponse(int status, String contentType, String body, String outcome, WebhookRejection rejection,
                              WebhookRejection refusal) {

    public WebhookResponse(int status, String contentType, String body, String outcome) {
        this(status, contentType, body, outcome, null, null);
    }

    public WebhookResponse(int status, String contentType, String body, String outcome, WebhookRejection rejection) {
        this(status, contentType, body, outcome, rejection, null);
    }

    public WebhookResponse withRefusal(WebhookRejection counted) {
        return new WebhookResponse(status, contentType, body, outcome, rejection, counted);
    }

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
        return new WebhookResponse(status, "application/json", Json.write(body), code, WebhookRejection.of(status, code, message));
    }

    public boolean isRejection() {
        return status >= 400;
    }
}
