package io.inboxrelay.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The verifier's own rules: JWKS needs issuer and audience, OIDC access tokens, a lifetime cap, rotated secrets. */
class JwtTokenVerifierTest {

    private static final String ISSUER = "https://idp.example.com/";
    private static final String AUDIENCE = "inbox-relay";
    private static final String OLD = "old-secret-old-secret-old-secret-0123456789";
    private static final String CURRENT = "current-secret-current-secret-0123456789ab";
    private static final String NEXT = "next-secret-next-secret-next-secret-0123456";

    private static RSAKey rsa;
    private static JWKSource<SecurityContext> jwks;

    @BeforeAll
    static void keys() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("k1").generate();
        jwks = new ImmutableJWKSet<>(new JWKSet(rsa.toPublicJWK()));
    }

    private static JwtTokenVerifier rs256Verifier() {
        return new JwtTokenVerifier(null, jwks, ISSUER, AUDIENCE, "tenant_id", Duration.ofHours(24), Clock.systemUTC());
    }

    private static JWTClaimsSet.Builder claims(Instant issued, Duration lifetime) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("agent-1").claim("tenant_id", "t1")
                .issuer(ISSUER).audience(AUDIENCE).expirationTime(Date.from(issued.plus(lifetime)));
        return claims.issueTime(Date.from(issued));
    }

    private static String rs256(JOSEObjectType type, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").type(type).build(), claims);
        jwt.sign(new RSASSASigner(rsa));
        return jwt.serialize();
    }

    private static String hs256(String secret, Duration lifetime) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims(Instant.now(), lifetime).build());
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    // ------------------------------------------------------------------ JWKS needs issuer and audience

    @Test
    void a_jwks_verifier_refuses_to_start_without_an_issuer_or_an_audience() {
        for (String[] claims : List.of(new String[] {null, AUDIENCE}, new String[] {ISSUER, null}, new String[] {"", ""}, new String[] {null, null})) {
            assertThatThrownBy(() -> new JwtTokenVerifier(null, jwks, claims[0], claims[1], "tenant_id", Duration.ofHours(24), Clock.systemUTC()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("JWT_ISSUER and JWT_AUDIENCE");
        }
        assertThatThrownBy(() -> JwtTokenVerifier.fromSettings(CURRENT, "https://idp.example.com/jwks.json", ISSUER, null, "tenant_id"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void an_hs256_only_verifier_starts_without_issuer_and_audience() {
        assertThat(JwtTokenVerifier.fromSettings(CURRENT, null, null, null, "tenant_id")).isNotNull();
    }

    // ------------------------------------------------------------------ token types

    @Test
    void oidc_access_tokens_typed_at_jwt_are_accepted_like_jwt_and_untyped_tokens() throws Exception {
        JwtTokenVerifier verifier = rs256Verifier();
        JWTClaimsSet claims = claims(Instant.now(), Duration.ofMinutes(5)).build();

        for (JOSEObjectType type : new JOSEObjectType[] {null, JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt")}) {
            assertThat(verifier.verify(rs256(type, claims)).tenantId()).as("typ %s", type).isEqualTo("t1");
        }
    }

    @Test
    void other_token_types_are_refused() throws Exception {
        JwtTokenVerifier verifier = rs256Verifier();
        JWTClaimsSet claims = claims(Instant.now(), Duration.ofMinutes(5)).build();

        for (String type : List.of("dpop+jwt", "logout+jwt", "JOSE")) {
            assertThatThrownBy(() -> verifier.verify(rs256(new JOSEObjectType(type), claims)))
                    .as("typ %s", type).isInstanceOf(AuthException.class).hasMessage("token type not accepted");
        }
    }

    @Test
    void the_identity_carries_the_tokens_exp() throws Exception {
        Instant issued = Instant.now();
        Identity identity = rs256Verifier().verify(rs256(null, claims(issued, Duration.ofMinutes(5)).build()));

        assertThat(identity.expiresAt()).isEqualTo(issued.plus(Duration.ofMinutes(5)).getEpochSecond());
    }

    // ------------------------------------------------------------------ maximum lifetime

    @Test
    void a_token_living_longer_than_the_maximum_is_refused_and_one_within_it_passes() throws Exception {
        JwtTokenVerifier verifier = new JwtTokenVerifier(null, jwks, ISSUER, AUDIENCE, "tenant_id", Duration.ofHours(1), Clock.systemUTC());
        Instant issued = Instant.now().minusSeconds(5);

        assertThat(verifier.verify(rs256(null, claims(issued, Duration.ofHours(1)).build())).tenantId()).isEqualTo("t1");
        assertThatThrownBy(() -> verifier.verify(rs256(null, claims(issued, Duration.ofHours(1).plusSeconds(1)).build())))
                .isInstanceOf(AuthException.class).hasMessageContaining("lifetime");
        assertThatThrownBy(() -> verifier.verify(rs256(null, claims(issued, Duration.ofDays(365)).build())))
                .isInstanceOf(AuthException.class).hasMessageContaining("lifetime");
    }

    @Test
    void without_iat_the_lifetime_left_counts() throws Exception {
        JwtTokenVerifier verifier = new JwtTokenVerifier(null, jwks, ISSUER, AUDIENCE, "tenant_id", Duration.ofHours(1), Clock.systemUTC());
        JWTClaimsSet shortLived = claims(Instant.now(), Duration.ofMinutes(50)).issueTime(null).build();
        JWTClaimsSet longLived = claims(Instant.now(), Duration.ofHours(2)).issueTime(null).build();

        assertThat(verifier.verify(rs256(null, shortLived)).tenantId()).isEqualTo("t1");
        assertThatThrownBy(() -> verifier.verify(rs256(null, longLived))).isInstanceOf(AuthException.class).hasMessageContaining("lifetime");
    }

    @Test
    void the_default_maximum_lifetime_is_24_hours_and_less_than_a_minute_is_refused() throws Exception {
        JwtTokenVerifier verifier = JwtTokenVerifier.fromSettings(CURRENT, null, null, null, "tenant_id");

        assertThat(verifier.verify(hs256(CURRENT, Duration.ofHours(24))).tenantId()).isEqualTo("t1");
        assertThatThrownBy(() -> verifier.verify(hs256(CURRENT, Duration.ofHours(25)))).isInstanceOf(AuthException.class);
        assertThatThrownBy(() -> new JwtTokenVerifier(HmacSecrets.fixed(CURRENT), null, null, null, "tenant_id", Duration.ofSeconds(59), Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("MAX_TOKEN_LIFETIME_SECONDS");
    }

    // ------------------------------------------------------------------ rotated secrets

    @Test
    void during_a_rotation_tokens_of_the_current_and_the_previous_version_pass_and_older_ones_do_not() throws Exception {
        JwtTokenVerifier verifier = new JwtTokenVerifier(() -> List.of(CURRENT, OLD), null, null, null, "tenant_id",
                Duration.ofHours(24), Clock.systemUTC());

        assertThat(verifier.verify(hs256(CURRENT, Duration.ofMinutes(5))).tenantId()).isEqualTo("t1");
        assertThat(verifier.verify(hs256(OLD, Duration.ofMinutes(5))).tenantId()).isEqualTo("t1");
        assertThatThrownBy(() -> verifier.verify(hs256(NEXT, Duration.ofMinutes(5))))
                .isInstanceOf(AuthException.class).hasMessage("token signature or algorithm not accepted");
    }

    @Test
    void a_token_of_a_version_newer_than_the_cached_ones_is_accepted_after_one_reread() throws Exception {
        AtomicReference<List<String>> stored = new AtomicReference<>(List.of(CURRENT, OLD));
        AtomicReference<List<String>> cached = new AtomicReference<>(stored.get());
        HmacSecrets secrets = new HmacSecrets() {
            @Override
            public List<String> versions() {
                return cached.get();
            }

            @Override
            public boolean refresh() {
                boolean changed = !cached.get().equals(stored.get());
                cached.set(stored.get());
                return changed;
            }
        };
        JwtTokenVerifier verifier = new JwtTokenVerifier(secrets, null, null, null, "tenant_id", Duration.ofHours(24), Clock.systemUTC());
        stored.set(List.of(NEXT, CURRENT)); // rotated elsewhere

        assertThat(verifier.verify(hs256(NEXT, Duration.ofMinutes(5))).tenantId()).isEqualTo("t1");
        assertThat(verifier.verify(hs256(CURRENT, Duration.ofMinutes(5))).tenantId()).isEqualTo("t1");
        assertThatThrownBy(() -> verifier.verify(hs256(OLD, Duration.ofMinutes(5)))).isInstanceOf(AuthException.class);
    }

    @Test
    void secrets_that_cannot_be_read_are_not_a_bad_token() throws Exception {
        HmacSecrets unreadable = () -> {
            throw new HmacSecrets.KeysUnavailableException("no network", null);
        };
        JwtTokenVerifier verifier = new JwtTokenVerifier(unreadable, null, null, null, "tenant_id", Duration.ofHours(24), Clock.systemUTC());

        assertThatThrownBy(() -> verifier.verify(hs256(CURRENT, Duration.ofMinutes(5)))).isInstanceOf(HmacSecrets.KeysUnavailableException.class);
    }
}
