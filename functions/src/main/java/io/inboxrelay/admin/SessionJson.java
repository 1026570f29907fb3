package io.inboxrelay.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.WebhookRejection;
import java.time.Instant;

/** A session as the admin API and tool show it: never with its secrets. */
public final class SessionJson {

    private SessionJson() {
    }

    public static ObjectNode of(Session session) {
        ObjectNode node = Json.object()
                .put("session_id", session.sessionId())
                .put("tenant_id", session.tenantId())
                .put("provider", session.provider().wireName())
                .put("signature", session.signature().wireName())
                .put("enabled", session.enabled())
                .put("webhook_path", "/webhooks/" + session.sessionId())
                .put("created_at", session.createdAt().toString())
                .put("last_webhook_at", session.lastWebhookAt() == null ? null : session.lastWebhookAt().toString())
                .put("state", session.state() == null ? null : session.state().wireName())
                .put("last_error", session.lastError())
                .put("last_success_at", iso(session.lastSuccessAt()));
        WebhookRejection rejection = session.lastRejection();
        if (rejection == null) {
            node.putNull("last_rejection");
        } else {
            ObjectNode last = node.putObject("last_rejection");
            if (rejection.status() > 0) {
                last.put("status", rejection.status());
            } else {
                last.putNull("status");
            }
            last.put("code", rejection.code()).put("reason", rejection.reason()).put("at", iso(session.lastRejectedAt()));
        }
        var cidrs = node.putArray("allowed_cidrs");
        session.allowedCidrs().forEach(cidrs::add);
        node.put("meta_app_id", session.metaAppId());
        ObjectNode refusals = node.putObject("refusals");
        session.refusals().values().forEach(tally -> refusals.putObject(tally.code())
                .put("status", tally.status())
                .put("count", tally.count())
                .put("last_at", iso(tally.lastAt()))
                .put("reason", tally.reason()));
        return node;
    }

    private static String iso(Instant at) {
        return at == null ? null : at.toString();
    }
}
