package io.inboxrelay.core.signature;

import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.WebhookRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Standard Webhooks (standardwebhooks.com): {@code webhook-signature: v1,<base64>} is the
 * HMAC-SHA256 of {@code {webhook-id}.{webhook-timestamp}.{body}}; the header may list several
 * space-separated signatures (the sender rotating its own keys) and one match is enough. Other
 * versions such as {@code v1a} (asymmetric) are skipped, as the spec asks.
 */
public final class StandardWebhooksScheme implements SignatureScheme {

    static final String ID_HEADER = "webhook-id";
    static final String TIMESTAMP_HEADER = "webhook-timestamp";
    static final String SIGNATURE_HEADER = "webhook-signature";
    static final String SECRET_PREFIX = "whsec_";
    static final String VERSION = "v1";

    private static final int DIGEST_BYTES = 32;
    private static final byte[] DOT = {'.'};

    @Override
    public SignatureKind kind() {
        return SignatureKind.STANDARD_WEBHOOKS;
    }

    @Override
    public Verification verify(WebhookRequest request, List<String> secrets, Instant now) {
        String id = request.header(ID_HEADER);
        String timestampHeader = request.header(TIMESTAMP_HEADER);
        String signatureHeader = request.header(SIGNATURE_HEADER);
        if (id == null) {
            return Reasons.missing(ID_HEADER);
        }
        if (timestampHeader == null) {
            return Reasons.missing(TIMESTAMP_HEADER);
        }
        if (signatureHeader == null) {
            return Reasons.missing(SIGNATURE_HEADER);
        }
        String timestamp = timestampHeader.trim();
        Long epochSeconds = ReplayWindow.parseEpochSeconds(timestamp);
        if (epochSeconds == null) {
            return Reasons.malformed(TIMESTAMP_HEADER, "epoch seconds");
        }
        List<byte[]> sent = v1Signatures(signatureHeader);
        if (sent.isEmpty()) {
            return Reasons.malformed(SIGNATURE_HEADER, "v1,<base64 signature>");
        }
        List<String> usable = Secrets.usable(secrets);
        if (usable.isEmpty()) {
            return Verification.rejected(Reasons.NO_SECRET);
        }
        boolean matched = false;
        for (String secret : usable) {
            byte[] key = key(secret);
            if (key.length == 0) {
                continue;
            }
            byte[] expected = Crypto.hmac(Crypto.HMAC_SHA256, key,
                    Crypto.utf8(id.trim()), DOT, Crypto.utf8(timestamp), DOT, request.body());
            for (byte[] signature : sent) {
                matched |= Crypto.same(expected, signature);
            }
        }
        if (!matched) {
            return Verification.rejected(Reasons.NO_MATCH);
        }
        return ReplayWindow.contains(epochSeconds, now) ? Verification.ok() : Verification.rejected(Reasons.OUTSIDE_WINDOW);
    }

    /**
     * The HMAC key: the base64 after {@code whsec_}, as the spec's libraries read it. A secret
     * without the prefix (or whose remainder is not base64) is used as its raw UTF-8 bytes, so a
     * plain shared secret still works.
     */
    static byte[] key(String secret) {
        if (secret.startsWith(SECRET_PREFIX)) {
            try {
                return Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
            } catch (IllegalArgumentException notBase64) {
                return Crypto.utf8(secret);
            }
        }
        return Crypto.utf8(secret);
    }

    private static List<byte[]> v1Signatures(String header) {
        List<byte[]> signatures = new ArrayList<>();
        for (String entry : header.trim().split(" +")) {
            int comma = entry.indexOf(',');
            if (comma < 0 || !entry.substring(0, comma).equals(VERSION)) {
                continue;
            }
            try {
                byte[] decoded = Base64.getDecoder().decode(entry.substring(comma + 1));
                if (decoded.length == DIGEST_BYTES) {
                    signatures.add(decoded);
                }
            } catch (IllegalArgumentException notBase64) {
                // One unreadable entry does not spoil the others.
            }
        }
        return signatures;
    }
}
