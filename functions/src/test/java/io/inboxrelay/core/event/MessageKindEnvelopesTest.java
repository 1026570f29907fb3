package io.inboxrelay.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Direction;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Media;
import io.inboxrelay.core.MessageChange;
import io.inboxrelay.core.MessageDetails;
import io.inboxrelay.core.MessageDetails.ContactCard;
import io.inboxrelay.core.MessageDetails.Location;
import io.inboxrelay.core.MessageDetails.Quoted;
import io.inboxrelay.core.MessageDetails.Referral;
import io.inboxrelay.core.MessageKind;
import io.inboxrelay.core.MessageStatus;
import io.inboxrelay.core.Party;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** new_message's {@code kind} and kind fields, and message_updated, as docs/MESSAGE-KINDS.md shows them. */
class MessageKindEnvelopesTest {

    private static final Instant AT = Instant.parse("2026-03-02T14:10:00Z");
    private static final Party MARIA = new Party("5511987654321", "+5511987654321", "5511987654321@s.whatsapp.net", "Maria Souza");

    private static JsonNode pushed(String text, Media media, MessageKind kind, MessageDetails details) {
        InboundMessage message = new InboundMessage("M1", "M1", Direction.LEAD, MARIA.contactId(), false, MARIA, text, media, AT,
                MessageStatus.DELIVERED, kind, details);
        return Json.parse(Envelopes.newMessage("acme", "s1", "c1", message).body()).path("message");
    }

    @Test
    void a_plain_text_message_says_kind_text_and_carries_no_kind_fields() {
        JsonNode message = pushed("Olá", null, null, null);
        assertThat(message.path("kind").asText()).isEqualTo("text");
        for (String absent : List.of("media", "location", "contacts", "interactive", "system", "quoted", "referral", "forwarded")) {
            assertThat(message.has(absent)).as(absent).isFalse();
        }
    }

    @Test
    void a_location_carries_its_coordinates_and_reads_as_its_name() {
        JsonNode message = pushed("Praça da Sé", null, MessageKind.LOCATION,
                MessageDetails.location(new Location(-23.55, -46.63, "Praça da Sé", null, null, true)));
        assertThat(message.path("kind").asText()).isEqualTo("location");
        assertThat(message.path("content").asText()).isEqualTo("Praça da Sé");
        assertThat(message.path("location").path("latitude").asDouble()).isEqualTo(-23.55);
        assertThat(message.path("location").path("live").asBoolean()).isTrue();
        assertThat(message.path("location").has("address")).isFalse();
    }

    @Test
    void contacts_quoted_referral_and_forwarded_are_pushed_in_their_wire_names() {
        MessageDetails details = MessageDetails.NONE
                .withContacts(List.of(new ContactCard("Carlos Lima", List.of("+5511976543210"), true)))
                .withQuoted(new Quoted("BAE5", "Sim, está disponível"))
                .withReferral(new Referral("ad", "1202", "https://fb.me/x", "Apartamentos", null, "image", "ARAk"))
                .withForwarded(true);
        JsonNode message = pushed("Carlos Lima", null, MessageKind.CONTACTS, details);
        assertThat(message.path("contacts").get(0).path("name").asText()).isEqualTo("Carlos Lima");
        assertThat(message.path("contacts").get(0).path("phones").get(0).asText()).isEqualTo("+5511976543210");
        assertThat(message.path("contacts").get(0).path("vcard_truncated").asBoolean()).isTrue();
        assertThat(message.path("quoted").path("id").asText()).isEqualTo("BAE5");
        assertThat(message.path("quoted").path("preview").asText()).isEqualTo("Sim, está disponível");
        assertThat(message.path("referral").path("source_url").asText()).isEqualTo("https://fb.me/x");
        assertThat(message.path("referral").path("ctwa_clid").asText()).isEqualTo("ARAk");
        assertThat(message.path("referral").has("body")).isFalse();
        assertThat(message.path("forwarded").asBoolean()).isTrue();
    }

    @Test
    void a_voice_placeholder_reads_as_its_label_with_media_not_available() {
        JsonNode message = pushed(null, Media.placeholder("audio", "audio/ogg", null, true), null, null);
        assertThat(message.path("kind").asText()).isEqualTo("voice");
        assertThat(message.path("content").asText()).isEqualTo("🎤 Voice message");
        assertThat(message.path("media").path("type").asText()).isEqualTo("audio");
        assertThat(message.path("media").path("voice").asBoolean()).isTrue();
        assertThat(message.path("media").path("available").asBoolean()).isFalse();
    }

    @Test
    void a_reaction_is_pushed_as_message_updated_naming_the_target_and_the_sender() {
        MessageChange reaction = MessageChange.reaction("R1", "M1", "5511987654321", Direction.LEAD, "👍", AT);
        PushEvent event = Envelopes.messageUpdated("acme", "s1", "c2", reaction, "5511987654321");
        JsonNode body = Json.parse(event.body());
        assertThat(event.channel()).isEqualTo(Channel.MESSAGES);
        assertThat(event.type()).isEqualTo("message_updated");
        assertThat(body.path("type").asText()).isEqualTo("message_updated");
        assertThat(body.path("message_id").asText()).isEqualTo("M1");
        assertThat(body.path("conversation_id").asText()).isEqualTo("5511987654321");
        assertThat(body.path("session_id").asText()).isEqualTo("s1");
        assertThat(body.path("change").asText()).isEqualTo("reaction");
        assertThat(body.path("reaction").path("emoji").asText()).isEqualTo("👍");
        assertThat(body.path("reaction").path("sender").asText()).isEqualTo("lead");
        assertThat(body.has("content")).isFalse();
        assertThat(body.path("timestamp").asText()).isEqualTo("2026-03-02T14:10:00Z");
    }

    @Test
    void a_removed_reaction_has_a_null_emoji_and_an_edit_carries_the_new_content() {
        JsonNode removed = Json.parse(Envelopes.messageUpdated("acme", "s1", "c3",
                MessageChange.reaction("R2", "M1", null, Direction.AGENT, "", AT), "5511987654321").body());
        assertThat(removed.path("reaction").path("emoji").isNull()).isTrue();
        assertThat(removed.path("reaction").path("sender").asText()).isEqualTo("agent");
        JsonNode edit = Json.parse(Envelopes.messageUpdated("acme", "s1", "c4",
                MessageChange.edit("M1", null, Direction.LEAD, "novo texto", AT), "5511987654321").body());
        assertThat(edit.path("change").asText()).isEqualTo("edit");
        assertThat(edit.path("content").asText()).isEqualTo("novo texto");
        assertThat(edit.has("reaction")).isFalse();
        JsonNode delete = Json.parse(Envelopes.messageUpdated("acme", "s1", "c5",
                MessageChange.delete("M1", null, Direction.LEAD, AT), "5511987654321").body());
        assertThat(delete.path("change").asText()).isEqualTo("delete");
        assertThat(delete.has("content")).isFalse();
    }
}
