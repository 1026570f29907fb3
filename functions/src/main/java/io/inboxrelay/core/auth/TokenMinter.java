package io.inboxrelay.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Mints HS256 browser tokens with the shared secret: what the local stack's CLI hands a developer
 * and what tests connect with. Production tokens come from the CRM's own identity provider.
 */
public final class TokenMinter {

    private final String secret;
    private final String tenantClaim;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    public TokenMinter(String secret) {
        this(secret, "tenant_id", null, null, Clock.systemUTC());
    }

    private TokenMinter(String secret, String tenantClaim, String issuer, String audience, Clock clock) {
        this.secret = secret;
        this.tenantClaim = tenantClaim;
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
    }

    public TokenMinter tenantClaim(String claim) {
        return new TokenMinter(secret, claim, issuer, audience, clock);
    }

    public TokenMinter issuer(String value) {
        return new TokenMinter(secret, tenantClaim, value, audience, clock);
    }

    public TokenMinter audience(String value) {
        return new TokenMinter(secret, tenantClaim, issuer, value, clock);
    }

    /** Mints as if the current time were the clock's (tests mint expired or not-yet-valid tokens with it). */
    public TokenMinter clock(Clock value) {
        return new TokenMinter(secret, tenantClaim, issuer, audience, value);
    }

    /** A token for the tenant and user, valid from now for {@code ttl}. */
    public String mint(String tenantId, String userId, Duration ttl) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(userId)
                .claim(tenantClaim, tenantId)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)));
        if (issuer != null) {
            claims.issuer(issuer);
        }
        if (audience != null) {
            claims.audience(audience);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("secret unusable for HS256 (it must be at least 32 bytes)", e);
        }
        return jwt.serialize();
    }
}
