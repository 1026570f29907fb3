package io.inboxrelay.core.signature;

import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.WebhookRequest;
import java.time.Instant;
import java.util.List;

/**
 * {@code X-Webhook-Signature: sha256=<hex>} of the raw body alone, even when {@code X-Webhook-Timestamp} is sent:
 * Inbox Hub bridges and the receivers written for them (the Frappe seed among them) sign {@code JSON.stringify(payload)}
 * and send the timestamp unsigned. The timestamp is not checked either: unsigned, it proves nothing.
 */
public final class HmacSha256BodyScheme implements SignatureScheme {

    static final String BODY_ONLY_FORM = HmacSha256Scheme.BODY_FORM + "; this session ignores "
            + HmacSha256Scheme.TIMESTAMP_HEADER + " (signature " + SignatureKind.HMAC_SHA256_BODY.wireName() + ")";

    @Override
    public SignatureKind kind() {
        return SignatureKind.HMAC_SHA256_BODY;
    }

    @Override
    public Verification verify(WebhookRequest request, List<String> secrets, Instant now) {
        return HmacSha256Scheme.explained(HmacSha256Scheme.SIGNATURE.verify(
                request.header(HmacSha256Scheme.SIGNATURE_HEADER), secrets, request.body()), BODY_ONLY_FORM);
    }
}
