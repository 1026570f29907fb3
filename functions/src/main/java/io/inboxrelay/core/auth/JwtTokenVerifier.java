package io.inboxrelay.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies HS256 tokens against a shared secret and RS256 tokens against an issuer's JWKS.
 *
 * <p>The algorithm is pinned per key type: an HS256 token is only ever checked with the shared
 * secret and an RS256 token only with the JWKS keys, so a token HMAC-signed with the issuer's
 * public RSA key (the HS/RS confusion attack) finds no key, and {@code alg: none} is refused by the
 * processor before any key is looked up.
 */
public final class JwtTokenVerifier implements TokenVerifier {

    /** Clock skew tolerated on {@code exp} and {@code nbf}. */
    public static final int LEEWAY_SECONDS = 30;

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String tenantClaim;

    /**
     * @param hmacSecret  HS256 shared secret (at least 32 bytes), or null to refuse HS256
     * @param rsaKeys     RS256 keys, or null to refuse RS256
     * @param issuer      required {@code iss}, or null
     * @param audience    required {@code aud}, or null
     * @param tenantClaim claim naming the tenant
     */
    public JwtTokenVerifier(String hmacSecret, JWKSource<SecurityContext> rsaKeys, String issuer, String audience, String tenantClaim) {
        if (hmacSecret == null && rsaKeys == null) {
            throw new IllegalStateException("no token keys configured: set JWT_SECRET and/or JWKS_URL");
        }
        if (hmacSecret != null && hmacSecret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalStateException("JWT_SECRET must be at least 32 bytes for HS256");
        }
        this.tenantClaim = tenantClaim;
        processor.setJWSKeySelector(pinnedSelector(hmacSecret, rsaKeys));
        Set<String> required = new HashSet<>(List.of("exp", tenantClaim));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (issuer != null) {
            exact.issuer(issuer);
        }
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audience, exact.build(), required);
        claims.setMaxClockSkew(LEEWAY_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** From JWT_SECRET / JWKS_URL / JWT_ISSUER / JWT_AUDIENCE / TENANT_CLAIM; the JWKS is fetched lazily and cached. */
    public static JwtTokenVerifier fromSettings(String secret, String jwksUrl, String issuer, String audience, String tenantClaim) {
        JWKSource<SecurityContext> keys = null;
        if (jwksUrl != null) {
            try {
                // Cached with refresh-ahead and a rate limit, so a flood of bad kids cannot hammer the issuer.
                keys = JWKSourceBuilder.create(URI.create(jwksUrl).toURL()).retrying(true).build();
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new IllegalStateException("JWKS_URL is not a URL", e);
            }
        }
        return new JwtTokenVerifier(secret, keys, issuer, audience, tenantClaim);
    }

    private static JWSKeySelector<SecurityContext> pinnedSelector(String hmacSecret, JWKSource<SecurityContext> rsaKeys) {
        Key hmacKey = hmacSecret == null ? null : new SecretKeySpec(hmacSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        JWSKeySelector<SecurityContext> rsa = rsaKeys == null ? null : new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, rsaKeys);
        return (header, context) -> {
            if (JWSAlgorithm.HS256.equals(header.getAlgorithm()) && hmacKey != null) {
                return List.of(hmacKey);
            }
            if (JWSAlgorithm.RS256.equals(header.getAlgorithm()) && rsa != null) {
                return rsa.selectJWSKeys(header, context);
            }
            return List.of();
        };
    }

    @Override
    public Identity verify(String token) {
        if (token == null || token.isBlank()) {
            throw new AuthException("missing token");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token.trim(), null);
        } catch (ParseException e) {
            throw new AuthException("malformed token");
        } catch (BadJWTException e) {
            throw new AuthException(claimsProblem(e));
        } catch (BadJOSEException e) {
            throw new AuthException("token signature or algorithm not accepted");
        } catch (JOSEException e) {
            throw new AuthException("token could not be verified");
        }
        Object tenant = claims.getClaim(tenantClaim);
        if (!(tenant instanceof String tenantId) || tenantId.isBlank()) {
            throw new AuthException("token carries no " + tenantClaim);
        }
        return new Identity(tenantId, claims.getSubject());
    }

    private static String claimsProblem(BadJWTException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("Expired")) {
            return "token expired";
        }
        if (message.contains("before use time")) {
            return "token not yet valid";
        }
        if (message.contains("audience")) {
            return "token audience not accepted";
        }
        if (message.contains("required claims")) {
            return "token lacks required claims";
        }
        if (message.contains("iss claim")) {
            return "token issuer not accepted";
        }
        return "token claims not accepted";
    }
}
