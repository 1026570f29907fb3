package io.inboxrelay.core.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientMessageTest {

    @Test
    void each_known_type_is_recognised() {
        assertThat(ClientMessage.parse("{\"type\":\"ping\"}")).isInstanceOf(ClientMessage.Ping.class);
        assertThat(ClientMessage.parse("{\"type\":\"status\"}")).isInstanceOf(ClientMessage.Status.class);
        assertThat(ClientMessage.parse("{\"type\":\"subscribe\",\"channels\":[\"messages\"]}"))
                .isEqualTo(new ClientMessage.Subscribe(List.of("messages")));
        assertThat(ClientMessage.parse("{\"type\":\"subscribe\"}")).isEqualTo(new ClientMessage.Subscribe(null));
        assertThat(ClientMessage.parse("{\"type\":\"resume\",\"since\":\"1768990400000-k3J9xQ2mZa\"}"))
                .isEqualTo(new ClientMessage.Resume("1768990400000-k3J9xQ2mZa", false));
        assertThat(ClientMessage.parse("{\"type\":\"resume\",\"after\":\"1768990400000-k3J9xQ2mZa\"}"))
                .isEqualTo(new ClientMessage.Resume("1768990400000-k3J9xQ2mZa", true));
        assertThat(ClientMessage.parse("{\"type\":\"typing\"}")).isEqualTo(new ClientMessage.Unknown("typing"));
    }

    @Test
    void broken_messages_are_malformed_never_an_exception() {
        for (String body : new String[] {null, "", "{", "[1]", "42", "{\"type\":7}", "{\"no\":\"type\"}",
                "{\"type\":\"subscribe\",\"channels\":\"messages\"}", "{\"type\":\"subscribe\",\"channels\":[1]}",
                "{\"type\":\"resume\"}", "{\"type\":\"resume\",\"since\":\"yesterday\"}",
                "{\"type\":\"resume\",\"after\":7}",
                "{\"type\":\"resume\",\"since\":\"1768990400000-a\",\"after\":\"1768990400000-a\"}", "[".repeat(500)}) {
            assertThat(ClientMessage.parse(body)).as(String.valueOf(body)).isInstanceOf(ClientMessage.Malformed.class);
        }
    }

    @Test
    void resume_replays_from_the_overlap_before_the_cursor_including_its_first_millisecond() {
        String bound = Cursor.resumeLowerBound("1768990400000-k3J9xQ2mZa", Duration.ofSeconds(10));

        assertThat(bound).isEqualTo("1768990390000");
        assertThat("1768990390000-0000000000").isGreaterThan(bound);
        assertThat("1768990389999-zzzzzzzzzz").isLessThan(bound);
        assertThat(Cursor.resumeLowerBound("0000000001000-abc", Duration.ofSeconds(10))).isEqualTo("0000000000000");
    }
}
