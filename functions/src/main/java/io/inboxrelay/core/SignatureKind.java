package io.inboxrelay.core;

import java.util.Locale;

/** The signature schemes a session can require; see DESIGN.md and the README's webhook contract. */
public enum SignatureKind {
    /** {@code X-Webhook-Signature: sha256=<hex>} over the body, or over {@code <timestamp>.<body>} when {@code X-Webhook-Timestamp} is sent. */
    HMAC_SHA256("hmac-sha256"),
    /**
     * {@code X-Webhook-Signature: sha256=<hex>} over the body alone, whatever else is sent: for bridges that add an
     * {@code X-Webhook-Timestamp} header without signing it. No replay window (an unsigned timestamp proves nothing).
     */
    HMAC_SHA256_BODY("hmac-sha256-body"),
    /** Standard Webhooks: {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature: v1,<base64>}. */
    STANDARD_WEBHOOKS("standard-webhooks"),
    /** WAHA: {@code X-Webhook-Hmac} = HMAC-SHA512 hex of the body. */
    WAHA_HMAC("waha-hmac-sha512"),
    /** Meta: {@code X-Hub-Signature-256: sha256=<hex>} with the app secret. */
    META("meta-sha256"),
    /** Evolution: {@code Authorization: Bearer <HS256 JWT>} signed with the instance's jwt_key. */
    EVOLUTION_JWT("evolution-jwt"),
    /** A static shared token in {@code Authorization: Bearer <token>} or {@code X-Webhook-Token}. */
    STATIC_TOKEN("static-token");

    private final String wireName;

    SignatureKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The scheme a provider's gateway uses unless the session says otherwise. */
    public static SignatureKind defaultFor(Provider provider) {
        return switch (provider) {
            case INBOX_HUB -> HMAC_SHA256;
            case EVOLUTION -> EVOLUTION_JWT;
            case WAHA -> WAHA_HMAC;
            case META -> META;
        };
    }

    public static SignatureKind fromWireName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (SignatureKind kind : values()) {
            if (kind.wireName.equals(wanted)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown signature scheme '" + name + "'");
    }
}
