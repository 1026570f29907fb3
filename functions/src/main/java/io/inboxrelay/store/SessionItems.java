package io.inboxrelay.store;

import static io.inboxrelay.store.Attrs.bool;
import static io.inboxrelay.store.Attrs.number;
import static io.inboxrelay.store.Attrs.string;
import static io.inboxrelay.store.Attrs.strings;

import io.inboxrelay.core.Provider;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.SessionState;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.WebhookRejection;
import io.inboxrelay.core.signature.TokenDigest;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import io.inboxrelay.core.RejectionTally;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Session items of SessionsTable (attribute names in the README's data model). */
public final class SessionItems {

    public static final String SESSION_ID = "sessionId";
    public static final String TENANT_ID = "tenantId";
    public static final String PROVIDER = "provider";
    public static final String SIGNATURE = "signature";
    /** Secrets in plain text, as items written before sealing hold them; never written any more. */
    public static final String SECRETS = "secrets";
    /** The secrets, each an envelope sealed with {@code {tenantId, sessionId}} (see {@link SessionSecrets}). */
    public static final String SEALED_SECRETS = "sealedSecrets";
    /** Meta's verify token, as its digest ({@code sha256:<hex>}); an item written before holds the token. */
    public static final String VERIFY_TOKEN = "verifyToken";
    public static final String ALLOWED_CIDRS = "allowedCidrs";
    public static final String ENABLED = "enabled";
    public static final String CREATED_AT = "createdAt";
    public static final String LAST_WEBHOOK_AT = "lastWebhookAt";
    public static final String STATE = "state";
    public static final String STATE_AT = "stateAt";
    /** The last rejection's code; kept when a later webhook is accepted. */
    public static final String LAST_ERROR = "lastError";
    public static final String LAST_SUCCESS_AT = "lastSuccessAt";
    public static final String LAST_REJECTED_AT = "lastRejectedAt";
    public static final String LAST_REJECTION_STATUS = "lastRejectionStatus";
    public static final String LAST_REJECTION_REASON = "lastRejectionReason";
    public static final String META_APP_ID = "metaAppId";
    /** Prefixes of the refusal counters, one attribute each per code: {@code refusedCount.bad_signature}, … */
    public static final String REFUSED_COUNT = "refusedCount.";
    public static final String REFUSED_AT = "refusedAt.";
    public static final String REFUSED_STATUS = "refusedStatus.";
    public static final String REFUSED_REASON = "refusedReason.";
    public static final String TENANT_INDEX = "tenant-index";
    /** The gateway API's base URL (https, or http to localhost for the simulator); listed. */
    public static final String GATEWAY_BASE_URL = "gatewayBaseUrl";
    /** The gateway's name for the session (Evolution instance, WAHA session, ...); listed. */
    public static final String GATEWAY_SESSION = "gatewaySession";
    /** Meta's Graph API version; listed. */
    public static final String GATEWAY_API_VERSION = "gatewayApiVersion";
    /** Whether a gateway credential is stored: what a listing shows instead of the credential. */
    public static final String GATEWAY_CREDENTIAL_SET = "gatewayCredentialSet";
    /**
     * The gateway API key or access token, one envelope sealed with {@code {tenantId, sessionId}} like the webhook
     * secrets: never projected, never listed, never writable by the webhook role.
     */
    public static final String SEALED_GATEWAY_CREDENTIAL = "sealedGatewayCredential";

    /**
     * The only attributes the webhook function may write to a session (template.yaml's
     * {@code dynamodb:Attributes} condition on its UpdateItem, held to this list by TemplateTest): what
     * {@code recordWebhook} and {@code storeSessionUpdate} set, plus the key, which every update names.
     * An attribute the webhook starts to write is added here and to the template.
     */
    public static final java.util.List<String> WEBHOOK_WRITES = concat(java.util.List.of(
            SESSION_ID, LAST_WEBHOOK_AT, LAST_SUCCESS_AT, LAST_REJECTED_AT, LAST_ERROR, LAST_REJECTION_STATUS,
            LAST_REJECTION_REASON, STATE, STATE_AT), refusalAttributes());

    /**
     * What {@code tenant-index} projects besides the keys (template.yaml's {@code NonKeyAttributes}, held to
     * this list by TemplateTest): everything the status route and the admin listing show, never a secret,
     * a sealed secret or the verify token's digest.
     */
    public static final java.util.List<String> INDEX_ATTRIBUTES =
            concat(java.util.List.of(PROVIDER, SIGNATURE, ENABLED, CREATED_AT, ALLOWED_CIDRS, LAST_WEBHOOK_AT, STATE, STATE_AT,
                    LAST_ERROR, LAST_SUCCESS_AT, LAST_REJECTED_AT, LAST_REJECTION_STATUS, LAST_REJECTION_REASON, META_APP_ID,
                    GATEWAY_BASE_URL, GATEWAY_SESSION, GATEWAY_API_VERSION, GATEWAY_CREDENTIAL_SET),
                    refusalAttributes());

    /**
     * What the status route reads of a tenant's sessions (its Query projects exactly these; template.yaml's
     * {@code dynamodb:Attributes} condition on the status function allows only these, held together by TemplateTest).
     */
    public static final java.util.List<String> STATUS_ATTRIBUTES =
            concat(java.util.List.of(TENANT_ID, SESSION_ID, PROVIDER, ENABLED, STATE, LAST_WEBHOOK_AT, LAST_ERROR,
                    LAST_SUCCESS_AT, LAST_REJECTED_AT, LAST_REJECTION_STATUS, LAST_REJECTION_REASON), refusalAttributes());

    /** Attributes no role but the webhook's decrypting read and the admin's writes may touch. */
    public static final java.util.List<String> SECRET_ATTRIBUTES = java.util.List.of(SECRETS, SEALED_SECRETS, VERIFY_TOKEN,
            SEALED_GATEWAY_CREDENTIAL);

    private SessionItems() {
    }

    /** The refusal counters' attributes, four per code of {@link io.inboxrelay.core.WebhookRejection#REFUSAL_CODES}. */
    public static java.util.List<String> refusalAttributes() {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (String code : io.inboxrelay.core.WebhookRejection.REFUSAL_CODES) {
            for (String prefix : java.util.List.of(REFUSED_COUNT, REFUSED_AT, REFUSED_STATUS, REFUSED_REASON)) {
                names.add(prefix + code);
            }
        }
        return java.util.List.copyOf(names);
    }

    private static java.util.List<String> concat(java.util.List<String> first, java.util.List<String> second) {
        java.util.List<String> all = new java.util.ArrayList<>(first);
        all.addAll(second);
        return java.util.List.copyOf(all);
    }

    /** The item without its secrets (the registry adds them sealed); the verify token as its digest. */
    public static Map<String, AttributeValue> toItem(Session session) {
        Attrs.Item item = new Attrs.Item()
                .put(SESSION_ID, session.sessionId())
                .put(TENANT_ID, session.tenantId())
                .put(PROVIDER, session.provider().wireName())
                .put(SIGNATURE, session.signature().wireName())
                .put(VERIFY_TOKEN, TokenDigest.of(session.verifyToken()))
                .put(ENABLED, Attrs.bool(session.enabled()))
                .put(CREATED_AT, session.createdAt().toEpochMilli());
        if (!session.allowedCidrs().isEmpty()) {
            item.put(ALLOWED_CIDRS, Attrs.stringSet(session.allowedCidrs()));
        }
        if (session.lastWebhookAt() != null) {
            item.put(LAST_WEBHOOK_AT, session.lastWebhookAt().toEpochMilli());
        }
        if (session.state() != null) {
            item.put(STATE, session.state().wireName());
        }
        if (session.lastSuccessAt() != null) {
            item.put(LAST_SUCCESS_AT, session.lastSuccessAt().toEpochMilli());
        }
        if (session.lastRejectedAt() != null) {
            item.put(LAST_REJECTED_AT, session.lastRejectedAt().toEpochMilli());
        }
        WebhookRejection rejection = session.lastRejection();
        if (rejection != null && rejection.status() > 0) {
            item.put(LAST_REJECTION_STATUS, (long) rejection.status());
        }
        if (rejection != null) {
            item.put(LAST_REJECTION_REASON, rejection.reason());
        }
        item.put(META_APP_ID, session.metaAppId());
        return item.put(LAST_ERROR, session.lastError()).build();
    }

    /** The refusal counters of an item, by code. */
    public static Map<String, RejectionTally> refusals(Map<String, AttributeValue> item) {
        Map<String, RejectionTally> tallies = new TreeMap<>();
        for (String attribute : item.keySet()) {
            if (!attribute.startsWith(REFUSED_COUNT)) {
                continue;
            }
            String code = attribute.substring(REFUSED_COUNT.length());
            tallies.put(code, new RejectionTally(code, (int) number(item, REFUSED_STATUS + code, 0), number(item, attribute, 0),
                    instant(item, REFUSED_AT + code), string(item, REFUSED_REASON + code)));
        }
        return tallies;
    }

    /** The last rejection of an item; an item stored before more than its code was kept has the code alone. */
    public static WebhookRejection rejection(Map<String, AttributeValue> item) {
        String code = string(item, LAST_ERROR);
        return code == null ? null
                : new WebhookRejection((int) number(item, LAST_REJECTION_STATUS, 0), code, string(item, LAST_REJECTION_REASON));
    }

    static Instant instant(Map<String, AttributeValue> item, String name) {
        Long millis = number(item, name);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    /** The gateway settings of an item as a listing shows them, or null when none are set. */
    public static io.inboxrelay.core.GatewaySettings gateway(Map<String, AttributeValue> item) {
        String baseUrl = string(item, GATEWAY_BASE_URL);
        boolean credential = bool(item, GATEWAY_CREDENTIAL_SET, false);
        String gatewaySession = string(item, GATEWAY_SESSION);
        if (baseUrl == null && !credential && gatewaySession == null) {
            return null;
        }
        return new io.inboxrelay.core.GatewaySettings(baseUrl, gatewaySession, string(item, GATEWAY_API_VERSION), credential);
    }

    /** The session of an item, with the plain secrets of an item written before sealing (the registry reads sealed ones). */
    public static Session fromItem(Map<String, AttributeValue> item) {
        Provider provider = Provider.fromWireName(string(item, PROVIDER));
        String signature = string(item, SIGNATURE);
        String state = string(item, STATE);
        return new Session(
                string(item, SESSION_ID),
                string(item, TENANT_ID),
                provider,
                signature == null ? SignatureKind.defaultFor(provider) : SignatureKind.fromWireName(signature),
                strings(item, SECRETS),
                string(item, VERIFY_TOKEN),
                strings(item, ALLOWED_CIDRS),
                bool(item, ENABLED, true),
                Instant.ofEpochMilli(number(item, CREATED_AT, 0)),
                instant(item, LAST_WEBHOOK_AT),
                state == null ? null : SessionState.fromWireName(state),
                instant(item, LAST_SUCCESS_AT),
                instant(item, LAST_REJECTED_AT),
                rejection(item),
                string(item, META_APP_ID),
                refusals(item),
                gateway(item));
    }
}
