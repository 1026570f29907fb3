package io.inboxrelay.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Direction;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Media;
import io.inboxrelay.core.MessageStatus;
import io.inboxrelay.core.Party;
import io.inboxrelay.core.SessionState;
import io.inboxrelay.core.SessionUpdate;
import io.inboxrelay.core.StatusUpdate;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EnvelopesTest {

    private static final Instant AT = Instant.parse("2026-11-22T20:11:24.359999294Z");

    @Test
    void new_message_has_the_shape_a_crm_frontend_expects_with_millisecond_timestamps() {
        InboundMessage message = new InboundMessage("3EB0", "false_57300@c.us_3EB0", Direction.LEAD, "573001234567", false,
                new Party("573001234567", "+573001234567", "573001234567@c.us", "Demo Lead"), "hello",
                new Media("image", "image/jpeg", "hello", "https://example.test/i.jpg", null, null, 1234L), AT, MessageStatus.DELIVERED);
        PushEvent event = Envelopes.newMessage("acme", "s1", "1795378284370-r34etq7f5z", message);

        JsonNode body = Json.parse(event.body());
        assertThat(event.channel()).isEqualTo(Channel.MESSAGES);
        assertThat(body.path("type").asText()).isEqualTo("new_message");
        assertThat(body.path("id").asText()).isEqualTo("1795378284370-r34etq7f5z");
        assertThat(body.path("tenant_id").asText()).isEqualTo("acme");
        assertThat(body.path("lead_id").asText()).isEqualTo("573001234567");
        assertThat(body.path("conversation_id").asText()).isEqualTo("573001234567");
        JsonNode payload = body.path("message");
        assertThat(payload.path("id").asText()).isEqualTo("3EB0");
        assertThat(payload.path("content").asText()).isEqualTo("hello");
        assertThat(payload.path("sender").asText()).isEqualTo("lead");
        assertThat(payload.path("phone").asText()).isEqualTo("+573001234567");
        assertThat(payload.path("name").asText()).isEqualTo("Demo Lead");
        assertThat(payload.path("timestamp").asText()).isEqualTo("2026-11-22T20:11:24.359Z");
        assertThat(payload.path("media").path("mime_type").asText()).isEqualTo("image/jpeg");
        assertThat(payload.path("media").path("size_bytes").asLong()).isEqualTo(1234L);
    }

    @Test
    void status_and_session_events_go_on_their_own_channels() {
        PushEvent status = Envelopes.messageStatus("acme", "c1", new StatusUpdate("M1", null, MessageStatus.FAILED, "131026 undeliverable", AT), "573");
        assertThat(status.channel()).isEqualTo(Channel.STATUSES);
        JsonNode body = Json.parse(status.body());
        assertThat(body.path("status").asText()).isEqualTo("failed");
        assertThat(body.path("reason").asText()).isEqualTo("131026 undeliverable");
        assertThat(body.path("conversation_id").asText()).isEqualTo("573");

        PushEvent session = Envelopes.sessionStatus("acme", "s1", "c2", new SessionUpdate(SessionState.QR, null, AT));
        assertThat(session.channel()).isEqualTo(Channel.SESSIONS);
        assertThat(Json.parse(session.body()).path("status").asText()).isEqualTo("qr");
        assertThat(Json.parse(session.body()).has("reason")).isFalse();
    }
}
