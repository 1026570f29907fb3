package io.inboxrelay.core.signature;

import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.WebhookRequest;
import java.time.Instant;
import java.util.List;

/**
 * WAHA: {@code X-Webhook-Hmac} is the hex HMAC-SHA512 of the raw body. WAHA also sends
 * {@code X-Webhook-Hmac-Algorithm}; when present it must say sha512, so a gateway configured
 * otherwise is told why instead of seeing a bare mismatch. WAHA signs no timestamp, so there is no
 * replay window to check; duplicate deliveries are absorbed by the store's dedupe.
 */
public final class WahaHmacScheme implements SignatureScheme {

    static final String ALGORITHM_HEADER = "X-Webhook-Hmac-Algorithm";
    static final HexHmacHeader SIGNATURE = new HexHmacHeader("X-Webhook-Hmac", "", Crypto.HMAC_SHA512, 64);

    @Override
    public SignatureKind kind() {
        return SignatureKind.WAHA_HMAC;
    }

    @Override
    public Verification verify(WebhookRequest request, List<String> secrets, Instant now) {
        String algorithm = request.header(ALGORITHM_HEADER);
        if (algorithm != null && !algorithm.trim().equalsIgnoreCase("sha512")) {
            return Verification.rejected("unsupported " + ALGORITHM_HEADER + ": only sha512 is accepted");
        }
        return SIGNATURE.verify(request.header(SIGNATURE.header()), secrets, request.body());
    }
}
