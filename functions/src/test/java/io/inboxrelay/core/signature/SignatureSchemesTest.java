package io.inboxrelay.core.signature;

import static io.inboxrelay.core.signature.Requests.BODY;
import static io.inboxrelay.core.signature.Requests.NOW;
import static io.inboxrelay.core.signature.Requests.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboxrelay.core.SignatureKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class SignatureSchemesTest {

    @ParameterizedTest
    @EnumSource(SignatureKind.class)
    void every_kind_has_a_scheme_of_that_kind(SignatureKind kind) {
        assertThat(SignatureSchemes.forKind(kind).kind()).isEqualTo(kind);
    }

    @ParameterizedTest
    @EnumSource(SignatureKind.class)
    void headers_from_the_signer_verify_under_the_same_kind(SignatureKind kind) {
        Map<String, String> headers = WebhookSigner.sign(kind, "whsec_dGVzdC1zZWNyZXQtZm9yLXJvdW5kLXRyaXA=", BODY, NOW);
        Verification result = SignatureSchemes.forKind(kind).verify(post(headers, BODY), List.of("whsec_dGVzdC1zZWNyZXQtZm9yLXJvdW5kLXRyaXA="), NOW);
        assertThat(result).isEqualTo(Verification.ok());
    }

    @ParameterizedTest
    @EnumSource(SignatureKind.class)
    void headers_signed_with_another_secret_are_rejected_under_every_kind(SignatureKind kind) {
        Map<String, String> headers = WebhookSigner.sign(kind, "secret-one", BODY, NOW);
        Verification result = SignatureSchemes.forKind(kind).verify(post(headers, BODY), List.of("secret-two"), NOW);
        assertThat(result.valid()).isFalse();
        assertThat(result.reason()).doesNotContain("secret-one").doesNotContain("secret-two");
    }

    @ParameterizedTest
    @EnumSource(SignatureKind.class)
    void a_request_without_any_headers_is_rejected_with_a_reason(SignatureKind kind) {
        Verification result = SignatureSchemes.forKind(kind).verify(post(Map.of(), BODY), List.of("s"), NOW);
        assertThat(result.valid()).isFalse();
        assertThat(result.reason()).startsWith("missing ");
    }

    @Test
    void no_kind_is_a_programming_error() {
        assertThatThrownBy(() -> SignatureSchemes.forKind(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_signer_refuses_to_sign_without_a_secret() {
        assertThatThrownBy(() -> WebhookSigner.sign(SignatureKind.META, "", BODY, NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void curl_command_carries_the_headers_and_the_exact_body_quoted_for_a_shell() {
        byte[] body = Requests.bytes("{\"text\":\"it's here\"}\n");
        String command = WebhookSigner.curlCommand("http://localhost:3000/webhooks/sess-1",
                Map.of("X-Hub-Signature-256", "sha256=00"), body);
        assertThat(command)
                .startsWith("curl -sS -X POST 'http://localhost:3000/webhooks/sess-1'")
                .contains("-H 'X-Hub-Signature-256: sha256=00'")
                .contains("-H 'Content-Type: application/json'")
                .endsWith("--data-binary '{\"text\":\"it'\\''s here\"}\n'");
    }
}
