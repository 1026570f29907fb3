package io.inboxrelay.core.signature;

import static io.inboxrelay.core.signature.Requests.BODY;
import static io.inboxrelay.core.signature.Requests.NOW;
import static io.inboxrelay.core.signature.Requests.post;
import static io.inboxrelay.core.signature.Requests.with;
import static io.inboxrelay.core.signature.Requests.without;
import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.core.SignatureKind;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HmacSha256SchemeTest {

    private static final String SECRET = "hub-secret-current";
    private static final HmacSha256Scheme SCHEME = new HmacSha256Scheme();

    private static final String EXPECTED_TIMESTAMPED = "signature does not match: expected X-Webhook-Signature: "
            + "sha256=HMAC(secret, timestamp.body) because X-Webhook-Timestamp is present; "
            + "if your gateway signs the body alone, set the session's signature to hmac-sha256-body";

    private static Map<String, String> signedAt(java.time.Instant at) {
        return WebhookSigner.sign(SignatureKind.HMAC_SHA256, SECRET, BODY, at);
    }

    @Test
    void body_signed_with_the_session_secret_and_a_fresh_timestamp_is_accepted() {
        assertThat(SCHEME.verify(post(signedAt(NOW), BODY), List.of(SECRET), NOW)).isEqualTo(Verification.ok());
    }

    @Test
    void body_signed_without_a_timestamp_is_accepted() {
        Map<String, String> headers = WebhookSigner.hmacSha256BodyOnly(SECRET, BODY);
        assertThat(headers).containsOnlyKeys("X-Webhook-Signature");
        assertThat(SCHEME.verify(post(headers, BODY), List.of(SECRET), NOW).valid()).isTrue();
    }

    @Test
    void signature_is_the_plain_hex_hmac_of_the_body_so_any_gateway_can_produce_it() {
        // Independently computed: printf '%s' 'Hello, World!' | openssl dgst -sha256 -hmac "It's a Secret to Everybody"
        Map<String, String> headers = Map.of("X-Webhook-Signature",
                "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
        Verification result = SCHEME.verify(post(headers, Requests.bytes("Hello, World!")),
                List.of("It's a Secret to Everybody"), NOW);
        assertThat(result.valid()).isTrue();
    }

    @Test
    void upper_case_hex_is_accepted() {
        Map<String, String> headers = signedAt(NOW);
        String upper = headers.get("X-Webhook-Signature").toUpperCase(Locale.ROOT);
        assertThat(SCHEME.verify(post(with(headers, "X-Webhook-Signature", upper), BODY), List.of(SECRET), NOW).valid())
                .isTrue();
    }

    @Test
    void wrong_secret_is_rejected_as_a_mismatch() {
        Verification result = SCHEME.verify(post(signedAt(NOW), BODY), List.of("another-secret"), NOW);
        assertThat(result).isEqualTo(Verification.rejected(EXPECTED_TIMESTAMPED));
    }

    @Test
    void the_previous_secret_still_verifies_during_rotation() {
        Map<String, String> signedWithOld = WebhookSigner.sign(SignatureKind.HMAC_SHA256, "old-secret", BODY, NOW);
        assertThat(SCHEME.verify(post(signedWithOld, BODY), List.of("new-secret", "old-secret"), NOW).valid()).isTrue();
    }

    @Test
    void missing_signature_header_is_named_in_the_reason() {
        Verification result = SCHEME.verify(post(without(signedAt(NOW), "X-Webhook-Signature"), BODY), List.of(SECRET), NOW);
        assertThat(result.reason()).isEqualTo("missing X-Webhook-Signature header");
    }

    @Test
    void malformed_signature_header_is_rejected_with_the_expected_shape() {
        for (String bad : List.of("", "sha256=", "sha1=abcdef", "sha256=xyz", "sha256=" + "ab".repeat(31),
                "md5=" + "ab".repeat(32))) {
            Verification result = SCHEME.verify(post(with(signedAt(NOW), "X-Webhook-Signature", bad), BODY),
                    List.of(SECRET), NOW);
            assertThat(result.reason()).as(bad).isEqualTo("malformed X-Webhook-Signature header: expected sha256=<64 hex digits>");
        }
    }

    @Test
    void malformed_timestamp_is_rejected() {
        for (String bad : List.of("", "soon", "-5", "1.5e9", "99999999999999999999")) {
            Verification result = SCHEME.verify(post(with(signedAt(NOW), "X-Webhook-Timestamp", bad), BODY),
                    List.of(SECRET), NOW);
            assertThat(result.reason()).as(bad).isEqualTo("malformed X-Webhook-Timestamp header: expected epoch seconds");
        }
    }

    @Test
    void tampered_body_is_rejected() {
        Verification result = SCHEME.verify(post(signedAt(NOW), Requests.tampered(BODY)), List.of(SECRET), NOW);
        assertThat(result.reason()).isEqualTo(EXPECTED_TIMESTAMPED);
    }

    @Test
    void a_changed_timestamp_breaks_the_signature_because_it_is_signed() {
        Map<String, String> headers = with(signedAt(NOW), "X-Webhook-Timestamp", Long.toString(NOW.getEpochSecond() + 1));
        assertThat(SCHEME.verify(post(headers, BODY), List.of(SECRET), NOW).reason()).isEqualTo(EXPECTED_TIMESTAMPED);
    }

    @Test
    void timestamp_exactly_300_seconds_old_or_ahead_is_accepted() {
        assertThat(SCHEME.verify(post(signedAt(NOW.minusSeconds(300)), BODY), List.of(SECRET), NOW).valid()).isTrue();
        assertThat(SCHEME.verify(post(signedAt(NOW.plusSeconds(300)), BODY), List.of(SECRET), NOW).valid()).isTrue();
    }

    @Test
    void timestamp_301_seconds_old_or_ahead_is_outside_the_replay_window() {
        Verification old = SCHEME.verify(post(signedAt(NOW.minusSeconds(301)), BODY), List.of(SECRET), NOW);
        Verification ahead = SCHEME.verify(post(signedAt(NOW.plusSeconds(301)), BODY), List.of(SECRET), NOW);
        assertThat(old.reason()).isEqualTo("timestamp outside the 300 s replay window");
        assertThat(ahead.reason()).isEqualTo("timestamp outside the 300 s replay window");
    }

    @Test
    void a_session_without_secrets_accepts_nothing() {
        assertThat(SCHEME.verify(post(signedAt(NOW), BODY), List.of(), NOW).reason())
                .isEqualTo("no signing secret is configured for this session");
        assertThat(SCHEME.verify(post(signedAt(NOW), BODY), java.util.Arrays.asList("", null), NOW).valid()).isFalse();
    }

    @Test
    void header_names_are_case_insensitive() {
        Map<String, String> lower = new java.util.HashMap<>();
        signedAt(NOW).forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
        assertThat(SCHEME.verify(post(lower, BODY), List.of(SECRET), NOW).valid()).isTrue();
    }

    @Test
    void reasons_never_echo_the_secret_or_the_expected_signature() {
        String expected = WebhookSigner.hmacSha256BodyOnly(SECRET, BODY).get("X-Webhook-Signature");
        Verification result = SCHEME.verify(post(Map.of("X-Webhook-Signature", "sha256=" + "0".repeat(64)), BODY),
                List.of(SECRET), NOW);
        assertThat(result.reason()).doesNotContain(SECRET).doesNotContain(expected.substring(7));
    }

    @Test
    void a_body_only_signature_sent_beside_a_timestamp_is_refused_with_the_form_expected_and_the_way_out() {
        Map<String, String> headers = new java.util.HashMap<>(WebhookSigner.hmacSha256BodyOnly(SECRET, BODY));
        headers.put("X-Webhook-Timestamp", Long.toString(NOW.getEpochSecond()));
        Verification result = SCHEME.verify(post(headers, BODY), List.of(SECRET), NOW);
        assertThat(result).isEqualTo(Verification.rejected(EXPECTED_TIMESTAMPED));
    }

    @Test
    void a_mismatch_without_a_timestamp_names_the_body_form() {
        Map<String, String> headers = WebhookSigner.hmacSha256BodyOnly("another-secret", BODY);
        assertThat(SCHEME.verify(post(headers, BODY), List.of(SECRET), NOW).reason()).isEqualTo(
                "signature does not match: expected X-Webhook-Signature: sha256=HMAC(secret, body) over the raw body bytes");
    }

    @Test
    void the_explained_mismatch_never_echoes_the_secret_or_either_expected_signature() {
        String bodyOnly = WebhookSigner.hmacSha256BodyOnly(SECRET, BODY).get("X-Webhook-Signature").substring(7);
        String timestamped = signedAt(NOW).get("X-Webhook-Signature").substring(7);
        Map<String, String> headers = Map.of("X-Webhook-Signature", "sha256=" + "0".repeat(64),
                "X-Webhook-Timestamp", Long.toString(NOW.getEpochSecond()));
        assertThat(SCHEME.verify(post(headers, BODY), List.of(SECRET), NOW).reason())
                .doesNotContain(SECRET).doesNotContain(bodyOnly).doesNotContain(timestamped).doesNotContain("0".repeat(64));
    }
}
