package io.inboxrelay.core.signature;

import static io.inboxrelay.core.signature.Requests.BODY;
import static io.inboxrelay.core.signature.Requests.NOW;
import static io.inboxrelay.core.signature.Requests.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.core.SignatureKind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HmacSha256BodySchemeTest {

    private static final String SECRET = "hub-secret-current";
    private static final HmacSha256BodyScheme SCHEME = new HmacSha256BodyScheme();

    private static Map<String, String> bodySignedWithTimestamp(String timestamp) {
        Map<String, String> headers = new HashMap<>(WebhookSigner.hmacSha256BodyOnly(SECRET, BODY));
        headers.put("X-Webhook-Timestamp", timestamp);
        return headers;
    }

    @Test
    void is_selected_by_its_wire_name() {
        assertThat(SignatureKind.fromWireName("hmac-sha256-body")).isEqualTo(SignatureKind.HMAC_SHA256_BODY);
        assertThat(SignatureSchemes.forKind(SignatureKind.HMAC_SHA256_BODY)).isInstanceOf(HmacSha256BodyScheme.class);
    }

    @Test
    void the_body_signed_alone_is_accepted_although_a_timestamp_header_is_present() {
        Verification result = SCHEME.verify(post(bodySignedWithTimestamp(Long.toString(NOW.getEpochSecond())), BODY),
                List.of(SECRET), NOW);
        assertThat(result).isEqualTo(Verification.ok());
    }

    @Test
    void the_unsigned_timestamp_is_not_checked_at_all() {
        for (String timestamp : List.of(Long.toString(NOW.getEpochSecond() - 3600), "2025-10-14T06:30:00.000Z", "")) {
            assertThat(SCHEME.verify(post(bodySignedWithTimestamp(timestamp), BODY), List.of(SECRET), NOW).valid())
                    .as(timestamp).isTrue();
        }
    }

    @Test
    void the_seeds_published_form_verifies_hex_hmac_of_the_raw_body() {
        // Independently computed: printf '%s' 'Hello, World!' | openssl dgst -sha256 -hmac "It's a Secret to Everybody"
        Map<String, String> headers = Map.of("X-Webhook-Signature",
                "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "X-Webhook-Timestamp", "1729443600");
        assertThat(SCHEME.verify(post(headers, Requests.bytes("Hello, World!")), List.of("It's a Secret to Everybody"), NOW)
                .valid()).isTrue();
    }

    @Test
    void a_timestamped_signature_is_refused_with_the_body_form_it_expects() {
        Map<String, String> timestamped = WebhookSigner.sign(SignatureKind.HMAC_SHA256, SECRET, BODY, NOW);
        Verification result = SCHEME.verify(post(timestamped, BODY), List.of(SECRET), NOW);
        assertThat(result).isEqualTo(Verification.rejected("signature does not match: expected X-Webhook-Signature: "
                + "sha256=HMAC(secret, body) over the raw body bytes; this session ignores X-Webhook-Timestamp "
                + "(signature hmac-sha256-body)"));
    }

    @Test
    void missing_and_malformed_headers_and_no_secret_keep_their_own_reasons() {
        assertThat(SCHEME.verify(post(Map.of(), BODY), List.of(SECRET), NOW).reason())
                .isEqualTo("missing X-Webhook-Signature header");
        assertThat(SCHEME.verify(post(Map.of("X-Webhook-Signature", "sha1=ab"), BODY), List.of(SECRET), NOW).reason())
                .isEqualTo("malformed X-Webhook-Signature header: expected sha256=<64 hex digits>");
        assertThat(SCHEME.verify(post(bodySignedWithTimestamp("1"), BODY), List.of(), NOW).reason())
                .isEqualTo("no signing secret is configured for this session");
    }

    @Test
    void the_previous_secret_still_verifies_during_rotation_and_reasons_never_echo_secrets() {
        Map<String, String> signedWithOld = new HashMap<>(WebhookSigner.hmacSha256BodyOnly("old-secret", BODY));
        assertThat(SCHEME.verify(post(signedWithOld, BODY), List.of("new-secret", "old-secret"), NOW).valid()).isTrue();
        String reason = SCHEME.verify(post(signedWithOld, BODY), List.of("new-secret"), NOW).reason();
        assertThat(reason).doesNotContain("old-secret").doesNotContain("new-secret")
                .doesNotContain(signedWithOld.get("X-Webhook-Signature").substring(7));
    }
}
