package io.inboxrelay.core.signature;

import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.WebhookRequest;
import java.time.Instant;
import java.util.List;

/**
 * The generic scheme (Inbox Hub / Baileys bridges): {@code X-Webhook-Signature: sha256=<hex>} of
 * the raw body, or of {@code <timestamp>.<body>} when {@code X-Webhook-Timestamp} is sent, in which
 * case the timestamp must also be inside the replay window. A mismatch names the form that was expected,
 * since a bridge that sends the timestamp but signs the body alone otherwise sees only "does not match".
 */
public final class HmacSha256Scheme implements SignatureScheme {

    static final String SIGNATURE_HEADER = "X-Webhook-Signature";
    static final String TIMESTAMP_HEADER = "X-Webhook-Timestamp";
    static final HexHmacHeader SIGNATURE = new HexHmacHeader(SIGNATURE_HEADER, "sha256=", Crypto.HMAC_SHA256, 32);

    static final String BODY_FORM = SIGNATURE_HEADER + ": sha256=HMAC(secret, body) over the raw body bytes";
    // No quotes: the session's diagnostics keep this reason, and they blank anything quoted (it may be input).
    static final String TIMESTAMPED_FORM = SIGNATURE_HEADER + ": sha256=HMAC(secret, timestamp.body) because "
            + TIMESTAMP_HEADER + " is present; if your gateway signs the body alone, set the session's signature to "
            + SignatureKind.HMAC_SHA256_BODY.wireName();

    private static final byte[] DOT = {'.'};

    @Override
    public SignatureKind kind() {
        return SignatureKind.HMAC_SHA256;
    }

    @Override
    public Verification verify(WebhookRequest request, List<String> secrets, Instant now) {
        String timestampHeader = request.header(TIMESTAMP_HEADER);
        if (timestampHeader == null) {
            return explained(SIGNATURE.verify(request.header(SIGNATURE_HEADER), secrets, request.body()), BODY_FORM);
        }
        String timestamp = timestampHeader.trim();
        Long epochSeconds = ReplayWindow.parseEpochSeconds(timestamp);
        if (epochSeconds == null) {
            return Reasons.malformed(TIMESTAMP_HEADER, "epoch seconds");
        }
        Verification signature = SIGNATURE.verify(
                request.header(SIGNATURE_HEADER), secrets, Crypto.utf8(timestamp), DOT, request.body());
        if (!signature.valid()) {
            return explained(signature, TIMESTAMPED_FORM);
        }
        return ReplayWindow.contains(epochSeconds, now) ? signature : Verification.rejected(Reasons.OUTSIDE_WINDOW);
    }

    /** Adds the expected form to a mismatch; other reasons (missing, malformed, no secret) already say what is wrong. */
    static Verification explained(Verification result, String expectedForm) {
        return Reasons.NO_MATCH.equals(result.reason()) ? Reasons.noMatch(expectedForm) : result;
    }
}
