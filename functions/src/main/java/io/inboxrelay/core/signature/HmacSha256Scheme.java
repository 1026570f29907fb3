package io.inboxrelay.core.signature;

import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.WebhookRequest;
import java.time.Instant;
import java.util.List;

/**
 * The generic scheme (Inbox Hub / Baileys bridges): {@code X-Webhook-Signature: sha256=<hex>} of
 * the raw body, or of {@code <timestamp>.<body>} when {@code X-Webhook-Timestamp} is sent, in which
 * case the timestamp must also be inside the replay window.
 */
public final class HmacSha256Scheme implements SignatureScheme {

    static final String SIGNATURE_HEADER = "X-Webhook-Signature";
    static final String TIMESTAMP_HEADER = "X-Webhook-Timestamp";
    static final HexHmacHeader SIGNATURE = new HexHmacHeader(SIGNATURE_HEADER, "sha256=", Crypto.HMAC_SHA256, 32);

    private static final byte[] DOT = {'.'};

    @Override
    public SignatureKind kind() {
        return SignatureKind.HMAC_SHA256;
    }

    @Override
    public Verification verify(WebhookRequest request, List<String> secrets, Instant now) {
        String timestampHeader = request.header(TIMESTAMP_HEADER);
        if (timestampHeader == null) {
            return SIGNATURE.verify(request.header(SIGNATURE_HEADER), secrets, request.body());
        }
        String timestamp = timestampHeader.trim();
        Long epochSeconds = ReplayWindow.parseEpochSeconds(timestamp);
        if (epochSeconds == null) {
            return Reasons.malformed(TIMESTAMP_HEADER, "epoch seconds");
        }
        Verification signature = SIGNATURE.verify(
                request.header(SIGNATURE_HEADER), secrets, Crypto.utf8(timestamp), DOT, request.body());
        if (!signature.valid()) {
            return signature;
        }
        return ReplayWindow.contains(epochSeconds, now) ? signature : Verification.rejected(Reasons.OUTSIDE_WINDOW);
    }
}
