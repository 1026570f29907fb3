package io.inboxrelay.core.signature;

import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.WebhookRequest;
import java.time.Instant;
import java.util.List;

/**
 * Meta WhatsApp Cloud API: {@code X-Hub-Signature-256: sha256=<hex>} of the raw body with the app
 * secret. Meta signs the bytes it sent, which escape non-ASCII as {@code \u00e9}: re-serialised
 * JSON would not match, so only the raw body is ever used.
 */
public final class MetaScheme implements SignatureScheme {

    static final HexHmacHeader SIGNATURE = new HexHmacHeader("X-Hub-Signature-256", "sha256=", Crypto.HMAC_SHA256, 32);

    @Override
    public SignatureKind kind() {
        return SignatureKind.META;
    }

    @Override
    public Verification verify(WebhookRequest request, List<String> secrets, Instant now) {
        return SIGNATURE.verify(request.header(SIGNATURE.header()), secrets, request.body());
    }
}
