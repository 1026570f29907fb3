package io.inboxrelay.core.signature;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.WebhookRequest;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever a caller sends, verification answers with a Verification, never an exception. */
class SignatureSchemeProperties {

    private static final List<String> HEADER_NAMES = List.of(
            "X-Webhook-Signature", "X-Webhook-Timestamp", "webhook-id", "webhook-timestamp", "webhook-signature",
            "X-Webhook-Hmac", "X-Webhook-Hmac-Algorithm", "X-Hub-Signature-256", "Authorization", "X-Webhook-Token");

    @Property(tries = 400)
    void arbitrary_headers_bodies_and_secrets_never_throw(
            @ForAll SignatureKind kind,
            @ForAll("headers") Map<String, String> headers,
            @ForAll byte[] body,
            @ForAll("secrets") List<String> secrets) {
        WebhookRequest request = Requests.post(headers, body);
        Verification result = SignatureSchemes.forKind(kind).verify(request, secrets, Requests.NOW);
        assertThat(result).isNotNull();
        assertThat(result.valid() || (result.reason() != null && !result.reason().isBlank())).isTrue();
    }

    @Property(tries = 200)
    void a_valid_signature_with_one_corrupted_header_value_never_throws_and_never_passes_unless_unchanged(
            @ForAll SignatureKind kind,
            @ForAll byte[] body,
            @ForAll("headerValues") String replacement,
            @ForAll("offsets") int offsetSeconds) {
        Instant signedAt = Requests.NOW.plusSeconds(offsetSeconds);
        Map<String, String> headers = new HashMap<>(WebhookSigner.sign(kind, "prop-secret", body, signedAt));
        String name = headers.keySet().iterator().next();
        String original = headers.put(name, replacement);
        Verification result = SignatureSchemes.forKind(kind).verify(Requests.post(headers, body), List.of("prop-secret"), Requests.NOW);
        assertThat(result).isNotNull();
        if (result.valid()) {
            // Only a value equivalent to the original (same token, case or surrounding space) may still pass.
            assertThat(replacement.trim()).isEqualToIgnoringCase(original.trim());
        }
    }

    @Provide
    Arbitrary<Map<String, String>> headers() {
        return Arbitraries.maps(Arbitraries.of(HEADER_NAMES), headerValues()).ofMaxSize(HEADER_NAMES.size());
    }

    @Provide
    Arbitrary<String> headerValues() {
        Arbitrary<String> anything = Arbitraries.strings().ofMaxLength(300);
        Arbitrary<String> prefixed = Combinators.combine(
                Arbitraries.of("sha256=", "Bearer ", "v1,", "v1,abc v1,", "whsec_", "sha512", "eyJhbGciOiJIUzI1NiJ9.", ""),
                Arbitraries.strings().withChars("0123456789abcdefABCDEF.+/=_- ,").ofMaxLength(200))
                .as(String::concat);
        Arbitrary<String> numbers = Arbitraries.longs().map(String::valueOf);
        return Arbitraries.oneOf(anything, prefixed, numbers);
    }

    @Provide
    Arbitrary<List<String>> secrets() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(60),
                Arbitraries.strings().withChars("ABCDEFabcdef0123456789+/=").ofMaxLength(40).map(s -> "whsec_" + s))
                .list().ofMaxSize(3);
    }

    @Provide
    Arbitrary<Integer> offsets() {
        return Arbitraries.integers().between(-400, 400);
    }
}
