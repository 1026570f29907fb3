package io.inboxrelay.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenTransportTest {

    @Test
    void the_token_comes_from_the_query_string_first_then_from_the_subprotocol_that_is_not_inbox_relay() {
        assertThat(TokenTransport.token(Map.of("token", "q.t.s"), "inbox-relay, p.t.s")).isEqualTo("q.t.s");
        assertThat(TokenTransport.token(Map.of(), "inbox-relay, p.t.s")).isEqualTo("p.t.s");
        assertThat(TokenTransport.token(Map.of(), "p.t.s,inbox-relay")).isEqualTo("p.t.s");
        assertThat(TokenTransport.token(Map.of(), "p.t.s")).isEqualTo("p.t.s");
        assertThat(TokenTransport.token(Map.of(), "inbox-relay")).isNull();
        assertThat(TokenTransport.token(null, null)).isNull();
    }

    @Test
    void connect_answers_inbox_relay_when_offered_else_the_single_offered_protocol() {
        assertThat(TokenTransport.answer("inbox-relay, p.t.s")).isEqualTo("inbox-relay");
        assertThat(TokenTransport.answer("p.t.s")).isEqualTo("p.t.s");
        assertThat(TokenTransport.answer(null)).isNull();
    }
}
