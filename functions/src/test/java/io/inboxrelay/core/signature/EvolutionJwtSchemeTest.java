package io.inboxrelay.core.signature;

import static io.inboxrelay.core.signature.Requests.BODY;
import static io.inboxrelay.core.signature.Requests.NOW;
import static io.inboxrelay.core.signature.Requests.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.inboxrelay.core.SignatureKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvolutionJwtSchemeTest {

    // Long enough for nimbus' own signer, which the tests use as an independent implementation.
    private static final String JWT_KEY = "evolution-instance-jwt-key-0123456789abcdef";
    private static final EvolutionJwtScheme SCHEME = new EvolutionJwtScheme();

    private static Verification verify(String authorization, List<String> secrets) {
        return SCHEME.verify(post(Map.of("Authorization", authorization), BODY), secrets, NOW);
    }

    private static String nimbusToken(JWSAlgorithm algorithm, String key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
        jwt.sign(new MACSigner(key.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static JWTClaimsSet evolutionClaims(Instant issued) {
        return new JWTClaimsSet.Builder()
                .issueTime(Date.from(issued))
                .expirationTime(Date.from(issued.plusSeconds(600)))
                .claim("app", "evolution").claim("action", "webhook")
                .build();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_token_signed_by_an_independent_hs256_implementation_is_accepted() throws Exception {
        String token = nimbusToken(JWSAlgorithm.HS256, JWT_KEY, evolutionClaims(NOW.minusSeconds(5)));
        assertThat(verify("Bearer " + token, List.of(JWT_KEY))).isEqualTo(Verification.ok());
    }

    @Test
    void the_signers_token_verifies_with_nimbus_and_carries_evolutions_claims() throws Exception {
        String token = WebhookSigner.evolutionJwt(JWT_KEY, NOW.getEpochSecond());
        SignedJWT parsed = SignedJWT.parse(token);
        assertThat(parsed.verify(new com.nimbusds.jose.crypto.MACVerifier(JWT_KEY.getBytes(StandardCharsets.UTF_8)))).isTrue();
        JWTClaimsSet claims = parsed.getJWTClaimsSet();
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plusSeconds(600));
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(NOW);
    }

    @Test
    void round_trip_with_the_signer_and_a_short_operator_chosen_key_is_accepted() {
        Map<String, String> headers = WebhookSigner.sign(SignatureKind.EVOLUTION_JWT, "abc123", BODY, NOW);
        assertThat(SCHEME.verify(post(headers, BODY), List.of("abc123"), NOW).valid()).isTrue();
    }

    @Test
    void wrong_key_is_rejected() {
        String token = WebhookSigner.evolutionJwt(JWT_KEY, NOW.getEpochSecond());
        assertThat(verify("Bearer " + token, List.of("some-other-key")).reason()).isEqualTo("signature does not match");
    }

    @Test
    void the_previous_key_still_verifies_during_rotation() {
        String token = WebhookSigner.evolutionJwt(JWT_KEY, NOW.getEpochSecond());
        assertThat(verify("Bearer " + token, List.of("fresh-key", JWT_KEY)).valid()).isTrue();
    }

    @Test
    void an_unsigned_alg_none_token_is_refused() {
        String unsigned = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
                + b64("{\"iat\":" + NOW.getEpochSecond() + ",\"exp\":" + (NOW.getEpochSecond() + 600) + "}") + ".";
        assertThat(verify("Bearer " + unsigned, List.of(JWT_KEY)).valid()).isFalse();
    }

    @Test
    void an_hs512_token_made_with_the_right_key_is_refused_because_the_algorithm_is_pinned() throws Exception {
        String token = nimbusToken(JWSAlgorithm.HS512, JWT_KEY + JWT_KEY, evolutionClaims(NOW));
        assertThat(verify("Bearer " + token, List.of(JWT_KEY + JWT_KEY)).reason())
                .isEqualTo("token must be a JWT signed with HS256");
    }

    @Test
    void an_rs256_header_over_an_hmac_signature_is_refused() {
        String token = WebhookSigner.evolutionJwt(JWT_KEY, NOW.getEpochSecond());
        String[] parts = token.split("\\.");
        String confused = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + parts[1] + "." + parts[2];
        assertThat(verify("Bearer " + confused, List.of(JWT_KEY)).reason()).isEqualTo("token must be a JWT signed with HS256");
    }

    @Test
    void expiry_has_30_seconds_of_leeway_and_no_more() {
        // exp = iat + 600, so a token issued 630 s ago expired exactly 30 s ago.
        String edge = WebhookSigner.evolutionJwt(JWT_KEY, NOW.getEpochSecond() - 630);
        String past = WebhookSigner.evolutionJwt(JWT_KEY, NOW.getEpochSecond() - 631);
        assertThat(verify("Bearer " + edge, List.of(JWT_KEY)).valid()).isTrue();
        assertThat(verify("Bearer " + past, List.of(JWT_KEY)).reason()).isEqualTo("token expired");
    }

    @Test
    void a_token_not_valid_until_later_is_refused() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder(evolutionClaims(NOW)).notBeforeTime(Date.from(NOW.plusSeconds(31))).build();
        JWTClaimsSet nearly = new JWTClaimsSet.Builder(evolutionClaims(NOW)).notBeforeTime(Date.from(NOW.plusSeconds(30))).build();
        assertThat(verify("Bearer " + nimbusToken(JWSAlgorithm.HS256, JWT_KEY, claims), List.of(JWT_KEY)).reason())
                .isEqualTo("token not valid yet (nbf)");
        assertThat(verify("Bearer " + nimbusToken(JWSAlgorithm.HS256, JWT_KEY, nearly), List.of(JWT_KEY)).valid()).isTrue();
    }

    @Test
    void a_token_without_exp_is_refused() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issueTime(Date.from(NOW)).build();
        assertThat(verify("Bearer " + nimbusToken(JWSAlgorithm.HS256, JWT_KEY, claims), List.of(JWT_KEY)).reason())
                .isEqualTo("token has no exp claim");
    }

    @Test
    void a_token_issued_in_the_future_is_refused() {
        String token = WebhookSigner.evolutionJwt(JWT_KEY, NOW.getEpochSecond() + 120);
        assertThat(verify("Bearer " + token, List.of(JWT_KEY)).reason()).isEqualTo("token issued in the future (iat)");
    }

    @Test
    void a_tampered_claims_segment_is_rejected() {
        String token = WebhookSigner.evolutionJwt(JWT_KEY, NOW.getEpochSecond() - 700);
        String[] parts = token.split("\\.");
        String extended = parts[0] + "." + b64("{\"iat\":" + NOW.getEpochSecond() + ",\"exp\":" + (NOW.getEpochSecond() + 600)
                + ",\"app\":\"evolution\",\"action\":\"webhook\"}") + "." + parts[2];
        assertThat(verify("Bearer " + extended, List.of(JWT_KEY)).reason()).isEqualTo("signature does not match");
    }

    @Test
    void missing_authorization_is_named() {
        assertThat(SCHEME.verify(post(Map.of(), BODY), List.of(JWT_KEY), NOW).reason()).isEqualTo("missing Authorization header");
    }

    @Test
    void malformed_authorization_values_are_rejected_without_an_exception() {
        for (String bad : List.of("", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer not-a-jwt", "Bearer a.b.c",
                "Bearer ..", "Bearer " + b64("{\"alg\":\"HS256\"}") + "." + b64("[1,2]") + ".AAAA")) {
            Verification result = verify(bad, List.of(JWT_KEY));
            assertThat(result.valid()).as(bad).isFalse();
            assertThat(result.reason()).as(bad).isNotBlank().doesNotContain(JWT_KEY);
        }
    }
}
