package io.inboxrelay.core.signature;

import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.WebhookRequest;
import java.time.Instant;
import java.util.List;

/**
 * A shared token in {@code Authorization: Bearer <token>} or {@code X-Webhook-Token: <token>}, for
 * gateways (Evolution's custom headers among them) that can add a header but cannot sign. It
 * proves who sent the request, not what: the body is not covered. The registry keeps only the
 * token's digest ({@link TokenDigest}); one stored before digests were kept is compared as it is.
 */
public final class StaticTokenScheme implements SignatureScheme {

    static final String TOKEN_HEADER = "X-Webhook-Token";

    @Override
    public SignatureKind kind() {
        return SignatureKind.STATIC_TOKEN;
    }

    @Override
    public Verification verify(WebhookRequest request, List<String> secrets, Instant now) {
        String token;
        String authorization = request.header(BearerToken.HEADER);
        if (authorization != null) {
            token = BearerToken.in(authorization);
            if (token == null) {
                return Reasons.malformed(BearerToken.HEADER, "Bearer <token>");
            }
        } else {
            String header = request.header(TOKEN_HEADER);
            if (header == null) {
                return Verification.rejected("missing Authorization or " + TOKEN_HEADER + " header");
            }
            token = header.trim();
        }
        List<String> usable = Secrets.usable(secrets);
        if (usable.isEmpty()) {
            return Verification.rejected(Reasons.NO_SECRET);
        }
        boolean matched = false;
        for (String secret : usable) {
            matched |= TokenDigest.matches(secret, token);
        }
        return matched ? Verification.ok() : Verification.rejected("token does not match");
    }
}
