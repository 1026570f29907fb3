package io.inboxrelay.core.signature;

import static io.inboxrelay.core.signature.Requests.BODY;
import static io.inboxrelay.core.signature.Requests.NOW;
import static io.inboxrelay.core.signature.Requests.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.core.SignatureKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StaticTokenSchemeTest {

    private static final String TOKEN = "tok_9f8e7d6c5b4a";
    private static final StaticTokenScheme SCHEME = new StaticTokenScheme();

    private static Verification verify(Map<String, String> headers, List<String> secrets) {
        return SCHEME.verify(post(headers, BODY), secrets, NOW);
    }

    @Test
    void bearer_token_equal_to_the_secret_is_accepted() {
        assertThat(verify(Map.of("Authorization", "Bearer " + TOKEN), List.of(TOKEN))).isEqualTo(Verification.ok());
        assertThat(verify(Map.of("authorization", "bearer " + TOKEN), List.of(TOKEN)).valid()).isTrue();
    }

    @Test
    void x_webhook_token_header_is_accepted() {
        assertThat(verify(Map.of("X-Webhook-Token", TOKEN), List.of(TOKEN)).valid()).isTrue();
    }

    @Test
    void round_trip_with_the_signer_is_accepted() {
        Map<String, String> headers = WebhookSigner.sign(SignatureKind.STATIC_TOKEN, TOKEN, BODY, NOW);
        assertThat(verify(headers, List.of(TOKEN)).valid()).isTrue();
    }

    @Test
    void wrong_token_prefix_or_longer_token_is_rejected() {
        for (String sent : List.of("tok_9f8e7d6c5b4b", "tok_9f8e7d6c5b4", TOKEN + "0", TOKEN.toUpperCase())) {
            assertThat(verify(Map.of("X-Webhook-Token", sent), List.of(TOKEN)).reason()).as(sent).isEqualTo("token does not match");
        }
    }

    @Test
    void the_previous_token_still_works_during_rotation() {
        assertThat(verify(Map.of("Authorization", "Bearer " + TOKEN), List.of("tok_new", TOKEN)).valid()).isTrue();
    }

    @Test
    void missing_both_headers_is_named() {
        assertThat(verify(Map.of(), List.of(TOKEN)).reason()).isEqualTo("missing Authorization or X-Webhook-Token header");
    }

    @Test
    void an_authorization_header_that_is_not_bearer_is_malformed() {
        for (String bad : List.of("Basic " + TOKEN, TOKEN, "Bearer", "Bearer    ")) {
            assertThat(verify(Map.of("Authorization", bad), List.of(TOKEN)).reason()).as(bad)
                    .isEqualTo("malformed Authorization header: expected Bearer <token>");
        }
    }

    @Test
    void an_empty_token_never_matches_an_unconfigured_session() {
        assertThat(verify(Map.of("X-Webhook-Token", ""), List.of("")).valid()).isFalse();
    }

    @Test
    void the_body_is_not_covered_so_a_different_body_still_passes() {
        // Documents the scheme's limit: a token authenticates the sender, not the content.
        assertThat(SCHEME.verify(post(Map.of("X-Webhook-Token", TOKEN), Requests.tampered(BODY)), List.of(TOKEN), NOW).valid())
                .isTrue();
    }
}
