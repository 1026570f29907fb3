package io.inboxrelay.core.signature;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.WebhookRequest;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Evolution API v2: {@code Authorization: Bearer <JWT>}, HS256 with the instance's {@code jwt_key},
 * claims {@code iat} and {@code exp = iat + 600}. The token does not cover the body, so it proves
 * the sender within its ten minutes of life, not the content; that is Evolution's design.
 *
 * <p>The algorithm is pinned to HS256: {@code none} and every other algorithm are refused before any
 * key is used. The MAC is computed here rather than with nimbus' {@code MACVerifier}, which refuses
 * keys shorter than 256 bits, while Evolution accepts any {@code jwt_key} an operator types.
 */
public final class EvolutionJwtScheme implements SignatureScheme {

    static final Duration LEEWAY = Duration.ofSeconds(30);

    @Override
    public SignatureKind kind() {
        return SignatureKind.EVOLUTION_JWT;
    }

    @Override
    public Verification verify(WebhookRequest request, List<String> secrets, Instant now) {
        String authorization = request.header(BearerToken.HEADER);
        if (authorization == null) {
            return Reasons.missing(BearerToken.HEADER);
        }
        String token = BearerToken.in(authorization);
        if (token == null) {
            return Reasons.malformed(BearerToken.HEADER, "Bearer <JWT>");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            JWT parsed = JWTParser.parse(token);
            if (!(parsed instanceof SignedJWT signed) || !JWSAlgorithm.HS256.equals(signed.getHeader().getAlgorithm())) {
                return Verification.rejected("token must be a JWT signed with HS256");
            }
            jwt = signed;
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException unreadable) {
            // A third-party parser over attacker-controlled text: any failure is a bad token, never a 5xx.
            return Reasons.malformed(BearerToken.HEADER, "Bearer <JWT>");
        }
        List<String> usable = Secrets.usable(secrets);
        if (usable.isEmpty()) {
            return Verification.rejected(Reasons.NO_SECRET);
        }
        byte[] signingInput = jwt.getSigningInput();
        byte[] sent = jwt.getSignature().decode();
        boolean matched = false;
        for (String secret : usable) {
            matched |= Crypto.same(Crypto.hmac(Crypto.HMAC_SHA256, Crypto.utf8(secret), signingInput), sent);
        }
        if (!matched) {
            return Verification.rejected(Reasons.NO_MATCH);
        }
        return checkTimes(claims, now);
    }

    private static Verification checkTimes(JWTClaimsSet claims, Instant now) {
        Date expires = claims.getExpirationTime();
        if (expires == null) {
            // Without exp a leaked token would be valid forever; Evolution always sets one.
            return Verification.rejected("token has no exp claim");
        }
        if (now.minus(LEEWAY).isAfter(expires.toInstant())) {
            return Verification.rejected("token expired");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.plus(LEEWAY).isBefore(notBefore.toInstant())) {
            return Verification.rejected("token not valid yet (nbf)");
        }
        Date issued = claims.getIssueTime();
        if (issued != null && now.plus(LEEWAY).isBefore(issued.toInstant())) {
            return Verification.rejected("token issued in the future (iat)");
        }
        return Verification.ok();
    }
}
