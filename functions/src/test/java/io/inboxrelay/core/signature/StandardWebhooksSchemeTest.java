package io.inboxrelay.core.signature;

import static io.inboxrelay.core.signature.Requests.BODY;
import static io.inboxrelay.core.signature.Requests.NOW;
import static io.inboxrelay.core.signature.Requests.post;
import static io.inboxrelay.core.signature.Requests.with;
import static io.inboxrelay.core.signature.Requests.without;
import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.core.SignatureKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandardWebhooksSchemeTest {

    // The Standard Webhooks specification's published test vector, reproduced by every reference library.
    private static final String VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long VECTOR_TIMESTAMP = 1614265330;
    private static final byte[] VECTOR_BODY = Requests.bytes("{\"test\": 2432232314}");
    private static final String VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static final String SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    private static final StandardWebhooksScheme SCHEME = new StandardWebhooksScheme();

    private static Map<String, String> vectorHeaders(String signature) {
        return Map.of("webhook-id", VECTOR_ID, "webhook-timestamp", Long.toString(VECTOR_TIMESTAMP),
                "webhook-signature", signature);
    }

    private static Map<String, String> signedAt(Instant at) {
        return WebhookSigner.sign(SignatureKind.STANDARD_WEBHOOKS, SECRET, BODY, at);
    }

    @Test
    void the_published_specification_vector_verifies() {
        Instant then = Instant.ofEpochSecond(VECTOR_TIMESTAMP);
        Verification result = SCHEME.verify(post(vectorHeaders(VECTOR_SIGNATURE), VECTOR_BODY), List.of(VECTOR_SECRET), then);
        assertThat(result).isEqualTo(Verification.ok());
    }

    @Test
    void the_signer_reproduces_the_published_vector_exactly() {
        assertThat(WebhookSigner.standardWebhooksSignature(VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY))
                .isEqualTo(VECTOR_SIGNATURE);
    }

    @Test
    void the_published_vector_is_stale_today() {
        Verification result = SCHEME.verify(post(vectorHeaders(VECTOR_SIGNATURE), VECTOR_BODY), List.of(VECTOR_SECRET), NOW);
        assertThat(result.reason()).isEqualTo("timestamp outside the 300 s replay window");
    }

    @Test
    void one_matching_signature_among_several_is_enough() {
        String header = "v1a,c29tZSBlZDI1NTE5IHNpZ25hdHVyZQ== v1,bm9wZQ== v1,Zm9vYmFyYmF6cXV4cXV1eGZvb2JhcmJhenF1eHF1dXg= "
                + VECTOR_SIGNATURE;
        Instant then = Instant.ofEpochSecond(VECTOR_TIMESTAMP);
        assertThat(SCHEME.verify(post(vectorHeaders(header), VECTOR_BODY), List.of(VECTOR_SECRET), then).valid()).isTrue();
    }

    @Test
    void a_secret_without_the_whsec_prefix_is_used_as_raw_bytes() {
        Map<String, String> headers = WebhookSigner.sign(SignatureKind.STANDARD_WEBHOOKS, "plain shared secret", BODY, NOW);
        assertThat(SCHEME.verify(post(headers, BODY), List.of("plain shared secret"), NOW).valid()).isTrue();
        // Not the same key as its base64 reading would give
        assertThat(StandardWebhooksScheme.key("plain shared secret")).isEqualTo(Requests.bytes("plain shared secret"));
    }

    @Test
    void round_trip_with_the_signer_is_accepted() {
        assertThat(SCHEME.verify(post(signedAt(NOW), BODY), List.of(SECRET), NOW)).isEqualTo(Verification.ok());
    }

    @Test
    void wrong_secret_is_rejected() {
        Verification result = SCHEME.verify(post(signedAt(NOW), BODY), List.of(VECTOR_SECRET), NOW);
        assertThat(result.reason()).isEqualTo("signature does not match");
    }

    @Test
    void the_previous_secret_still_verifies_during_rotation() {
        assertThat(SCHEME.verify(post(signedAt(NOW), BODY), List.of(VECTOR_SECRET, SECRET), NOW).valid()).isTrue();
    }

    @Test
    void each_missing_header_is_named() {
        for (String header : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            Verification result = SCHEME.verify(post(without(signedAt(NOW), header), BODY), List.of(SECRET), NOW);
            assertThat(result.reason()).isEqualTo("missing " + header + " header");
        }
    }

    @Test
    void signature_header_without_a_readable_v1_entry_is_malformed() {
        for (String bad : List.of("", "garbage", "v2,abc", "v1,not base64!", "v1,", "v1a,abc=", "v1,YWJj")) {
            Verification result = SCHEME.verify(post(with(signedAt(NOW), "webhook-signature", bad), BODY), List.of(SECRET), NOW);
            assertThat(result.reason()).as(bad).isEqualTo("malformed webhook-signature header: expected v1,<base64 signature>");
        }
    }

    @Test
    void non_numeric_timestamp_is_malformed() {
        Verification result = SCHEME.verify(post(with(signedAt(NOW), "webhook-timestamp", "2025-06-01T12:00:00Z"), BODY),
                List.of(SECRET), NOW);
        assertThat(result.reason()).isEqualTo("malformed webhook-timestamp header: expected epoch seconds");
    }

    @Test
    void tampered_body_is_rejected() {
        assertThat(SCHEME.verify(post(signedAt(NOW), Requests.tampered(BODY)), List.of(SECRET), NOW).reason())
                .isEqualTo("signature does not match");
    }

    @Test
    void a_different_message_id_breaks_the_signature() {
        Map<String, String> headers = with(signedAt(NOW), "webhook-id", "msg_someone_else");
        assertThat(SCHEME.verify(post(headers, BODY), List.of(SECRET), NOW).reason()).isEqualTo("signature does not match");
    }

    @Test
    void timestamp_exactly_300_seconds_away_is_accepted_301_is_not() {
        assertThat(SCHEME.verify(post(signedAt(NOW.minusSeconds(300)), BODY), List.of(SECRET), NOW).valid()).isTrue();
        assertThat(SCHEME.verify(post(signedAt(NOW.plusSeconds(300)), BODY), List.of(SECRET), NOW).valid()).isTrue();
        assertThat(SCHEME.verify(post(signedAt(NOW.minusSeconds(301)), BODY), List.of(SECRET), NOW).reason())
                .isEqualTo("timestamp outside the 300 s replay window");
        assertThat(SCHEME.verify(post(signedAt(NOW.plusSeconds(301)), BODY), List.of(SECRET), NOW).reason())
                .isEqualTo("timestamp outside the 300 s replay window");
    }
}
