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

class WahaHmacSchemeTest {

    private static final String SECRET = "waha-webhook-hmac-key";
    private static final WahaHmacScheme SCHEME = new WahaHmacScheme();
    private static final Map<String, String> SIGNED = WebhookSigner.sign(SignatureKind.WAHA_HMAC, SECRET, BODY, NOW);

    @Test
    void hmac_sha512_hex_of_the_body_is_accepted() {
        assertThat(SIGNED.get("X-Webhook-Hmac")).hasSize(128).matches("[0-9a-f]+");
        assertThat(SCHEME.verify(post(SIGNED, BODY), List.of(SECRET), NOW)).isEqualTo(Verification.ok());
    }

    @Test
    void signature_matches_an_independently_computed_hmac_sha512() {
        // printf '%s' 'Hello, World!' | openssl dgst -sha512 -hmac "It's a Secret to Everybody"
        String hex = "11ed355a617e98134e842012a7944ccf59c10256cb182357bd7e3a42013ff07c"
                + "376f8c14cf5cc1923da20b51d64256b2fb8ebbf100aa67a61326f61fea8111bc";
        byte[] body = Requests.bytes("Hello, World!");
        Verification result = SCHEME.verify(post(Map.of("X-Webhook-Hmac", hex), body),
                List.of("It's a Secret to Everybody"), NOW);
        assertThat(result.valid()).isTrue();
        assertThat(WebhookSigner.sign(SignatureKind.WAHA_HMAC, "It's a Secret to Everybody", body, NOW))
                .containsEntry("X-Webhook-Hmac", hex);
    }

    @Test
    void upper_case_hex_without_the_algorithm_header_is_accepted() {
        Map<String, String> headers = Map.of("X-Webhook-Hmac", SIGNED.get("X-Webhook-Hmac").toUpperCase(Locale.ROOT));
        assertThat(SCHEME.verify(post(headers, BODY), List.of(SECRET), NOW).valid()).isTrue();
    }

    @Test
    void an_algorithm_other_than_sha512_is_refused_with_a_reason() {
        Verification result = SCHEME.verify(post(with(SIGNED, "X-Webhook-Hmac-Algorithm", "sha256"), BODY), List.of(SECRET), NOW);
        assertThat(result.reason()).isEqualTo("unsupported X-Webhook-Hmac-Algorithm: only sha512 is accepted");
    }

    @Test
    void wrong_secret_is_rejected() {
        assertThat(SCHEME.verify(post(SIGNED, BODY), List.of("not-it"), NOW).reason()).isEqualTo("signature does not match");
    }

    @Test
    void the_previous_secret_still_verifies_during_rotation() {
        assertThat(SCHEME.verify(post(SIGNED, BODY), List.of("rotated-in", SECRET), NOW).valid()).isTrue();
    }

    @Test
    void missing_header_is_named() {
        assertThat(SCHEME.verify(post(without(SIGNED, "X-Webhook-Hmac"), BODY), List.of(SECRET), NOW).reason())
                .isEqualTo("missing X-Webhook-Hmac header");
    }

    @Test
    void a_sha256_length_or_non_hex_value_is_malformed() {
        for (String bad : List.of("ab".repeat(32), "zz".repeat(64), "sha512=" + "ab".repeat(64), "")) {
            assertThat(SCHEME.verify(post(with(SIGNED, "X-Webhook-Hmac", bad), BODY), List.of(SECRET), NOW).reason())
                    .as(bad).isEqualTo("malformed X-Webhook-Hmac header: expected <128 hex digits>");
        }
    }

    @Test
    void tampered_body_is_rejected() {
        assertThat(SCHEME.verify(post(SIGNED, Requests.tampered(BODY)), List.of(SECRET), NOW).reason())
                .isEqualTo("signature does not match");
    }
}
