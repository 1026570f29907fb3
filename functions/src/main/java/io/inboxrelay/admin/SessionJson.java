package io.inboxrelay.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.DiagnosticsJson;
import io.inboxrelay.core.GatewaySettings;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Session;
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
        DiagnosticsJson.putLastRejection(node, session.lastRejection(), session.lastRejectedAt(), DiagnosticsJson.Times.ISO);
        var cidrs = node.putArray("allowed_cidrs");
        session.allowedCidrs().forEach(cidrs::add);
        node.put("meta_app_id", session.metaAppId());
        DiagnosticsJson.putRefusals(node, session.refusals(), DiagnosticsJson.Times.ISO);
        GatewaySettings gateway = session.gateway();
        if (gateway == null) {
            node.putNull("gateway");
        } else {
            // Whether a credential is stored, never the credential.
            node.putObject("gateway").put("base_url", gateway.baseUrl()).put("session", gateway.gatewaySession())
                    .put("api_version", gateway.apiVersion()).put("has_credential", gateway.hasCredential());
        }
        return node;
    }

    private static String iso(Instant at) {
        return at == null ? null : at.toString();
    }
}
