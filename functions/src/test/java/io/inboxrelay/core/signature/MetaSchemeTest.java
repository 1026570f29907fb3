package io.inboxrelay.core.signature;

import static io.inboxrelay.core.signature.Requests.NOW;
import static io.inboxrelay.core.signature.Requests.post;
import static io.inboxrelay.core.signature.Requests.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.inboxrelay.core.SignatureKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetaSchemeTest {

    private static final String APP_SECRET = "6f1c2e0b9a8d7c6b5a4f3e2d1c0b9a8f";
    private static final MetaScheme SCHEME = new MetaScheme();
    // As Meta sends it: non-ASCII escaped as \u00e9, which any JSON re-serialisation would turn into é.
    private static final byte[] ESCAPED_BODY = Requests.bytes(
            "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{\"value\":"
                    + "{\"messages\":[{\"from\":\"5511987654321\",\"id\":\"wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFjNFQjA\","
                    + "\"type\":\"text\",\"text\":{\"body\":\"Caf\\u00e9 amanh\\u00e3?\"}}]},\"field\":\"messages\"}]}]}");

    @Test
    void githubs_published_vector_verifies() {
        // The X-Hub-Signature-256 vector from GitHub's webhook documentation; Meta uses the same construction.
        Map<String, String> headers = Map.of("X-Hub-Signature-256",
                "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
        Verification result = SCHEME.verify(post(headers, Requests.bytes("Hello, World!")),
                List.of("It's a Secret to Everybody"), NOW);
        assertThat(result).isEqualTo(Verification.ok());
    }

    @Test
    void the_signer_reproduces_githubs_vector() {
        assertThat(WebhookSigner.sign(SignatureKind.META, "It's a Secret to Everybody", Requests.bytes("Hello, World!"), NOW))
                .containsExactly(Map.entry("X-Hub-Signature-256",
                        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));
    }

    @Test
    void escaped_unicode_verifies_over_the_exact_bytes_but_not_over_re_serialised_json() throws Exception {
        Map<String, String> headers = WebhookSigner.sign(SignatureKind.META, APP_SECRET, ESCAPED_BODY, NOW);
        assertThat(SCHEME.verify(post(headers, ESCAPED_BODY), List.of(APP_SECRET), NOW).valid()).isTrue();

        ObjectMapper mapper = new ObjectMapper();
        byte[] reserialised = mapper.writeValueAsBytes(mapper.readTree(ESCAPED_BODY));
        assertThat(new String(reserialised, java.nio.charset.StandardCharsets.UTF_8)).contains("Café amanhã?");
        assertThat(SCHEME.verify(post(headers, reserialised), List.of(APP_SECRET), NOW).reason())
                .isEqualTo("signature does not match");
    }

    @Test
    void wrong_app_secret_is_rejected() {
        Map<String, String> headers = WebhookSigner.sign(SignatureKind.META, APP_SECRET, ESCAPED_BODY, NOW);
        assertThat(SCHEME.verify(post(headers, ESCAPED_BODY), List.of("0".repeat(32)), NOW).reason())
                .isEqualTo("signature does not match");
    }

    @Test
    void the_previous_app_secret_still_verifies_during_rotation() {
        Map<String, String> headers = WebhookSigner.sign(SignatureKind.META, APP_SECRET, ESCAPED_BODY, NOW);
        assertThat(SCHEME.verify(post(headers, ESCAPED_BODY), List.of("new-app-secret", APP_SECRET), NOW).valid()).isTrue();
    }

    @Test
    void missing_header_is_named() {
        assertThat(SCHEME.verify(post(Map.of("X-Hub-Signature", "sha1=abc"), ESCAPED_BODY), List.of(APP_SECRET), NOW).reason())
                .isEqualTo("missing X-Hub-Signature-256 header");
    }

    @Test
    void malformed_header_is_rejected_with_the_expected_shape() {
        Map<String, String> headers = WebhookSigner.sign(SignatureKind.META, APP_SECRET, ESCAPED_BODY, NOW);
        for (String bad : List.of("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "sha256=g" + "0".repeat(63),
                "sha256 = 00")) {
            assertThat(SCHEME.verify(post(with(headers, "X-Hub-Signature-256", bad), ESCAPED_BODY), List.of(APP_SECRET), NOW)
                    .reason()).as(bad).isEqualTo("malformed X-Hub-Signature-256 header: expected sha256=<64 hex digits>");
        }
    }

    @Test
    void upper_case_hex_is_accepted() {
        Map<String, String> headers = Map.of("x-hub-signature-256",
                "sha256=757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17");
        assertThat(SCHEME.verify(post(headers, Requests.bytes("Hello, World!")), List.of("It's a Secret to Everybody"), NOW)
                .valid()).isTrue();
    }

    @Test
    void tampered_body_is_rejected() {
        Map<String, String> headers = WebhookSigner.sign(SignatureKind.META, APP_SECRET, ESCAPED_BODY, NOW);
        assertThat(SCHEME.verify(post(headers, Requests.tampered(ESCAPED_BODY)), List.of(APP_SECRET), NOW).reason())
                .isEqualTo("signature does not match");
    }
}
