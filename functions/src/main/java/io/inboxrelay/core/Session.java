package io.inboxrelay.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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
 * @param lastWebhookAt  when a webhook last reached it, accepted or not (throttled to a minute's resolution), or null
 * @param state          the last session state the gateway reported, or null
 * @param lastSuccessAt  when a webhook was last accepted (a minute's resolution), or null
 * @param lastRejectedAt when a webhook was last refused (a minute's resolution while the answer stays the same), or null
 * @param lastRejection  the last refusal of an authenticated request (signature valid), kept after later successes so
 *                       an intermittent one stays visible, or null
 * @param metaAppId      the Meta app this session's number belongs to, or null; the session whose id is
 *                       {@code meta-app-<appId>} is that app's endpoint (see {@link #isMetaAppEndpoint()})
 * @param refusals       counters of refused requests that proved nothing (bad signature, foreign source, …) and of
 *                       refused Meta changes, by code: never part of the health above
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
        Instant lastSuccessAt,
        Instant lastRejectedAt,
        WebhookRejection lastRejection,
        String metaAppId,
        Map<String, RejectionTally> refusals,
        GatewaySettings gateway) {

    /** The id prefix of a Meta app's endpoint session: one callback URL for every number of the app. */
    public static final String META_APP_PREFIX = "meta-app-";

    public Session {
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
        allowedCidrs = allowedCidrs == null ? List.of() : List.copyOf(allowedCidrs);
        refusals = refusals == null ? Map.of() : Map.copyOf(refusals);
    }

    public Session(String sessionId, String tenantId, Provider provider, SignatureKind signature, List<String> secrets,
            String verifyToken, List<String> allowedCidrs, boolean enabled, Instant createdAt, Instant lastWebhookAt,
            SessionState state, Instant lastSuccessAt, Instant lastRejectedAt, WebhookRejection lastRejection, String metaAppId,
            Map<String, RejectionTally> refusals) {
        this(sessionId, tenantId, provider, signature, secrets, verifyToken, allowedCidrs, enabled, createdAt, lastWebhookAt,
                state, lastSuccessAt, lastRejectedAt, lastRejection, metaAppId, refusals, null);
    }

    public Session(String sessionId, String tenantId, Provider provider, SignatureKind signature, List<String> secrets,
            String verifyToken, List<String> allowedCidrs, boolean enabled, Instant createdAt, Instant lastWebhookAt,
            SessionState state, Instant lastSuccessAt, Instant lastRejectedAt, WebhookRejection lastRejection) {
        this(sessionId, tenantId, provider, signature, secrets, verifyToken, allowedCidrs, enabled, createdAt, lastWebhookAt,
                state, lastSuccessAt, lastRejectedAt, lastRejection, null, Map.of());
    }

    /** The id of a Meta app's endpoint session. */
    public static String metaAppEndpointId(String appId) {
        return META_APP_PREFIX + appId;
    }

    /**
     * True for a Meta app's endpoint: the one callback URL a CRM vendor gives Meta for an app whose numbers
     * belong to many tenants. It stores nothing of its own; each change goes to the session of its number.
     */
    public boolean isMetaAppEndpoint() {
        return provider == Provider.META && metaAppId != null && sessionId.equals(metaAppEndpointId(metaAppId));
    }

    /** A session whose last rejection is known by its code alone (as registered, or as stored before it kept more). */
    public Session(String sessionId, String tenantId, Provider provider, SignatureKind signature, List<String> secrets,
            String verifyToken, List<String> allowedCidrs, boolean enabled, Instant createdAt, Instant lastWebhookAt,
            SessionState state, String lastError) {
        this(sessionId, tenantId, provider, signature, secrets, verifyToken, allowedCidrs, enabled, createdAt, lastWebhookAt,
                state, null, null, lastError == null ? null : new WebhookRejection(0, lastError, null));
    }

    /** The code of the last rejection ({@code bad_signature}, ...), even when a later webhook was accepted; or null. */
    public String lastError() {
        return lastRejection == null ? null : lastRejection.code();
    }

    /** This session with other secrets, verify token and enabled flag; its diagnostics unchanged. */
    public Session withSecrets(List<String> newSecrets, String newVerifyToken, boolean isEnabled) {
        return new Session(sessionId, tenantId, provider, signature, newSecrets, newVerifyToken, allowedCidrs, isEnabled, createdAt,
                lastWebhookAt, state, lastSuccessAt, lastRejectedAt, lastRejection, metaAppId, refusals, gateway);
    }

    /** This session with the diagnostics a webhook at {@code at} leaves: accepted when {@code rejection} is null. */
    public Session withWebhook(Instant at, WebhookRejection rejection) {
        return rejection == null
                ? new Session(sessionId, tenantId, provider, signature, secrets, verifyToken, allowedCidrs, enabled, createdAt,
                        at, state, at, lastRejectedAt, lastRejection, metaAppId, refusals, gateway)
                : new Session(sessionId, tenantId, provider, signature, secrets, verifyToken, allowedCidrs, enabled, createdAt,
                        at, state, lastSuccessAt, at, rejection, metaAppId, refusals, gateway);
    }
}
