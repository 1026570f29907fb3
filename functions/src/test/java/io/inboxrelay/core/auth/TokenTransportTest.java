package io.inboxrelay.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenTransportTest {

    @Test
    void the_token_comes_from_the_query_string_first_then_from_the_subprotocol_that_is_not_inbox_relay() {
        assertThat(TokenTransport.token(Map.of("token", "q.t.s"), "inbox-relay, p.t.s")).isEqualTo("q.t.s");
        assertThat(TokenTransport.token(Map.of(), "inbox-relay, p.t.s")).isEqualTo("p.t.s");
        assertThat(TokenTransport.token(Map.of(), "p.t.s,inbox-relay")).isEqualTo("p.t.s");
        assertThat(TokenTransport.token(Map.of(), "inbox-relay")).isNull();
        assertThat(TokenTransport.token(null, null)).isNull();
    }

    @Test
    void a_token_offered_as_the_only_subprotocol_is_refused_with_a_reason_that_says_what_to_offer() {
        assertThatThrownBy(() -> TokenTransport.token(Map.of(), "p.t.s"))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("inbox-relay")
                .hasMessageNotContaining("p.t.s");
    }

    @Test
    void connect_answers_inbox_relay_when_offered_and_never_echoes_a_token() {
        assertThat(TokenTransport.answer("inbox-relay, p.t.s")).isEqualTo("inbox-relay");
        assertThat(TokenTransport.answer("p.t.s")).isNull();
        assertThat(TokenTransport.answer(null)).isNull();
    }
}
