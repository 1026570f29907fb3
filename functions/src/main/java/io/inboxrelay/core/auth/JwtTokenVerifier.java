package io.inboxrelay.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies HS256 tokens against a shared secret (its current and previous version during a
 * rotation) and RS256 tokens against an issuer's JWKS.
 *
 * <p>The algorithm is pinned per key type: an HS256 token is only ever checked with the shared
 * secret and an RS256 token only with the JWKS keys, so a token HMAC-signed with the issuer's
 * public RSA key (the HS/RS confusion attack) finds no key, and {@code alg: none} is refused by the
 * processor before any key is looked up.
 *
 * <p>With a JWKS, issuer and audience are required: an identity provider signs tokens for every
 * application it serves, and only those two claims say a token was meant for this one. {@code typ}
 * may be absent, {@code JWT} or {@code at+jwt} (an OIDC access token, RFC 9068). A token may not
 * live longer than the maximum lifetime, however far its {@code exp} is.
 */
public final class JwtTokenVerifier implements TokenVerifier {

    /** Clock skew tolerated on {@code exp} and {@code nbf}. */
    public static final int LEEWAY_SECONDS = 30;
    /** MAX_TOKEN_LIFETIME_SECONDS when unset. */
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofHours(24);

    private static final JOSEObjectType ACCESS_TOKEN = new JOSEObjectType("at+jwt");
    private static final JOSEObjectType ACCESS_TOKEN_MEDIA_TYPE = new JOSEObjectType("application/at+jwt");

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final HmacSecrets hmacSecrets;
    private final String tenantClaim;
    private final Duration maxLifetime;
    private final Clock clock;

    /**
     * @param hmacSecrets HS256 secret versions, or null to refuse HS256
     * @param rsaKeys     RS256 keys, or null to refuse RS256
     * @param issuer      required {@code iss}; may be null only without rsaKeys
     * @param audience    required {@code aud}; may be null only without rsaKeys
     * @param tenantClaim claim naming the tenant
     * @param maxLifetime the longest {@code exp − iat} (or {@code exp − now} without {@code iat}) accepted
     */
    public JwtTokenVerifier(HmacSecrets hmacSecrets, JWKSource<SecurityContext> rsaKeys, String issuer, String audience,
                            String tenantClaim, Duration maxLifetime, Clock clock) {
        if (hmacSecrets == null && rsaKeys == null) {
            throw new IllegalStateException("no token keys configured: set JWT_SECRET_ARN and/or JWKS_URL");
        }
        if (rsaKeys != null && (blank(issuer) || blank(audience))) {
            throw new IllegalStateException("JWKS_URL needs JWT_ISSUER and JWT_AUDIENCE: without them a token the identity"
                    + " provider issued for any other application would be accepted");
        }
        if (maxLifetime == null || maxLifetime.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalStateException("MAX_TOKEN_LIFETIME_SECONDS must be at least 60");
        }
        this.hmacSecrets = hmacSecrets;
        this.tenantClaim = tenantClaim;
        this.maxLifetime = maxLifetime;
        this.clock = clock;
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(
                JOSEObjectType.JWT, ACCESS_TOKEN, ACCESS_TOKEN_MEDIA_TYPE, null));
        processor.setJWSKeySelector(pinnedSelector(hmacSecrets, rsaKeys));
        Set<String> required = new HashSet<>(List.of("exp", tenantClaim));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (!blank(issuer)) {
            exact.issuer(issuer);
        }
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                blank(audience) ? null : audience, exact.build(), required);
        claims.setMaxClockSkew(LEEWAY_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** A fixed HS256 secret (at least 32 bytes) and/or a JWKS source, with the default maximum lifetime. */
    public JwtTokenVerifier(String hmacSecret, JWKSource<SecurityContext> rsaKeys, String issuer, String audience, String tenantClaim) {
        this(hmacSecret == null ? null : HmacSecrets.fixed(checkedSecret(hmacSecret)), rsaKeys, issuer, audience, tenantClaim,
                DEFAULT_MAX_LIFETIME, Clock.systemUTC());
    }

    /** A fixed secret (JWT_SECRET: the local stack, tests) / JWKS_URL / JWT_ISSUER / JWT_AUDIENCE / TENANT_CLAIM. */
    public static JwtTokenVerifier fromSettings(String secret, String jwksUrl, String issuer, String audience, String tenantClaim) {
        return fromSettings(secret == null ? null : HmacSecrets.fixed(checkedSecret(secret)), jwksUrl, issuer, audience, tenantClaim,
                DEFAULT_MAX_LIFETIME);
    }

    /** The JWKS is fetched lazily and cached; the HMAC secrets are read when a token needs them. */
    public static JwtTokenVerifier fromSettings(HmacSecrets secrets, String jwksUrl, String issuer, String audience,
                                                String tenantClaim, Duration maxLifetime) {
        JWKSource<SecurityContext> keys = null;
        if (jwksUrl != null) {
            try {
                // Cached with refresh-ahead and a rate limit, so a flood of bad kids cannot hammer the issuer.
                keys = JWKSourceBuilder.create(URI.create(jwksUrl).toURL()).retrying(true).build();
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new IllegalStateException("JWKS_URL is not a URL", e);
            }
        }
        return new JwtTokenVerifier(secrets, keys, issuer, audience, tenantClaim, maxLifetime, Clock.systemUTC());
    }

    /** A secret for HS256 must have at least 256 bits. */
    public static String checkedSecret(String secret) {
        if (secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalStateException("the JWT secret must be at least 32 bytes for HS256");
        }
        return secret;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static JWSKeySelector<SecurityContext> pinnedSelector(HmacSecrets hmacSecrets, JWKSource<SecurityContext> rsaKeys) {
        JWSKeySelector<SecurityContext> rsa = rsaKeys == null ? null : new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, rsaKeys);
        return (header, context) -> {
            if (JWSAlgorithm.HS256.equals(header.getAlgorithm()) && hmacSecrets != null) {
                List<Key> keys = new ArrayList<>(2);
                for (String version : hmacSecrets.versions()) {
                    keys.add(new SecretKeySpec(version.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                }
                return keys;
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
            claims = process(token.trim());
        } catch (ParseException e) {
            throw new AuthException("malformed token");
        } catch (BadJWTException e) {
            throw new AuthException(claimsProblem(e));
        } catch (BadJOSEException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            throw new AuthException(message.contains("type") ? "token type not accepted" : "token signature or algorithm not accepted");
        } catch (JOSEException e) {
            throw new AuthException("token could not be verified");
        }
        Object tenant = claims.getClaim(tenantClaim);
        if (!(tenant instanceof String tenantId) || tenantId.isBlank()) {
            throw new AuthException("token carries no " + tenantClaim);
        }
        long expiresAt = claims.getExpirationTime().toInstant().getEpochSecond();
        checkLifetime(claims.getIssueTime(), expiresAt);
        return new Identity(tenantId, claims.getSubject(), expiresAt);
    }

    /** An HS256 token no cached version verifies is checked once more after a re-read: the secret may just have rotated. */
    private JWTClaimsSet process(String token) throws ParseException, BadJOSEException, JOSEException {
        try {
            return processor.process(token, null);
        } catch (BadJWTException claimsRefused) {
            throw claimsRefused;
        } catch (BadJOSEException refused) {
            if (hmacSecrets != null && isHs256(token) && hmacSecrets.refresh()) {
                return processor.process(token, null);
            }
            throw refused;
        }
    }

    private static boolean isHs256(String token) {
        try {
            return JWSAlgorithm.HS256.equals(SignedJWT.parse(token).getHeader().getAlgorithm());
        } catch (ParseException e) {
            return false;
        }
    }

    private void checkLifetime(Date issuedAt, long expiresAt) {
        long from = issuedAt != null ? issuedAt.toInstant().getEpochSecond() : clock.instant().getEpochSecond();
        long allowed = maxLifetime.toSeconds() + (issuedAt != null ? 0 : LEEWAY_SECONDS);
        if (expiresAt - from > allowed) {
            throw new AuthException("token lifetime exceeds the maximum of " + maxLifetime.toSeconds() + " s");
        }
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
