package io.inboxrelay.core;

import java.time.Instant;
import java.util.List;

/**
 * One gateway session (Evolution instance, WAHA session, Inbox Hub session, Meta phone_number_id)
 * in the registry, mapped to the tenant whose browsers see its messages.
 *
 * @param sessionId      the id in the webhook URL
 * @param tenantId       the tenant that owns it
 * @param provider       the webhook format it posts
 * @param signature      the signature scheme its webhooks are checked with
 * @param secrets        one or two valid secrets (two while rotating); the newest first
 * @param verifyToken    Meta's {@code hub.verify_token} for the GET handshake, else null
 * @param allowedCidrs   source addresses allowed to post (IPv4/IPv6 CIDRs); empty means any
 * @param enabled        a disabled session answers 404 and stores nothing
 * @param createdAt      when it was registered
 * @param lastWebhookAt  when a webhook last reached it (throttled to a minute's resolution), or null
 * @param state          the last session state the gateway reported, or null
 * @param lastError      the last reason a webhook to it was rejected, or null
 */
public record Session(
        String sessionId,
        String tenantId,
        Provider provider,
        SignatureKind signature,
        List<String> secrets,
        String verifyToken,
        List<String> allowedCidrs,
        boolean enabled,
        Instant createdAt,
        Instant lastWebhookAt,
        SessionState state,
        String lastError) {

    public Session {
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
        allowedCidrs = allowedCidrs == null ? List.of() : List.copyOf(allowedCidrs);
    }
}
