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
    public static final String SECRETS = "secrets";
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

    private SessionItems() {
    }

    public static Map<String, AttributeValue> toItem(Session session) {
        Attrs.Item item = new Attrs.Item()
                .put(SESSION_ID, session.sessionId())
                .put(TENANT_ID, session.tenantId())
                .put(PROVIDER, session.provider().wireName())
                .put(SIGNATURE, session.signature().wireName())
                .put(SECRETS, Attrs.list(session.secrets()))
                .put(VERIFY_TOKEN, session.verifyToken())
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
                refusals(item));
    }
}
