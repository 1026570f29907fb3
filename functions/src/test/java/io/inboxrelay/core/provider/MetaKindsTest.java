package io.inboxrelay.core.provider;

import static io.inboxrelay.core.provider.Fixtures.only;
import static io.inboxrelay.core.provider.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.MessageChange;
import io.inboxrelay.core.MessageChange.ChangeType;
import io.inboxrelay.core.MessageDetails.ContactCard;
import io.inboxrelay.core.MessageDetails.Interactive;
import io.inboxrelay.core.MessageDetails.Location;
import io.inboxrelay.core.MessageDetails.Referral;
import io.inboxrelay.core.MessageDetails.SystemNotice;
import io.inboxrelay.core.MessageKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Cloud API's message types beyond text and media, and the context and referral of any message. */
class MetaKindsTest {

    private final MetaAdapter adapter = new MetaAdapter();

    private InboundMessage message(String fixture) {
        return only(parse(adapter, fixture), InboundMessage.class);
    }

    @Test
    void a_location_keeps_coordinates_name_address_and_url() {
        InboundMessage message = message("kinds-location.json");
        assertThat(message.kind()).isEqualTo(MessageKind.LOCATION);
        assertThat(message.details().location()).isEqualTo(new Location(4.6482837, -74.2478938, "Parque de la 93",
                "Cl. 93a #11a-28, Bogotá", "https://maps.example.com/parque93", false));
        assertThat(message.media()).isNull();
    }

    @Test
    void shared_contacts_give_their_formatted_names_and_numbers() {
        InboundMessage message = message("kinds-contacts.json");
        assertThat(message.kind()).isEqualTo(MessageKind.CONTACTS);
        assertThat(message.details().contacts())
                .containsExactly(new ContactCard("Laura Gómez", List.of("+573105551234", "+57 601 555 0000"), false));
        assertThat(message.text()).isEqualTo("Laura Gómez");
    }

    @Test
    void button_list_and_template_replies_carry_the_chosen_id_and_title_and_the_message_they_answer() {
        InboundMessage button = message("kinds-button-reply.json");
        assertThat(button.kind()).isEqualTo(MessageKind.INTERACTIVE_REPLY);
        assertThat(button.details().interactive()).isEqualTo(new Interactive("button", "agendar_visita", "Agendar visita"));
        assertThat(button.text()).isEqualTo("Agendar visita");
        assertThat(button.details().quoted().id()).isEqualTo("wamid.HBgMNTczMDAxMjM0NTY3FQIAERgSQkFFNUYzQzJBMUIwRDlFOAA=");
        assertThat(message("kinds-list-reply.json").details().interactive())
                .isEqualTo(new Interactive("list", "apto_2h", "Apartamento 2 hab."));
        assertThat(message("kinds-template-button.json").details().interactive())
                .isEqualTo(new Interactive("template", "CONFIRMAR_CITA", "Confirmar"));
    }

    @Test
    void a_reaction_without_an_emoji_removes_the_earlier_one() {
        MessageChange removal = only(parse(adapter, "kinds-reaction-removed.json"), MessageChange.class);
        assertThat(removal.type()).isEqualTo(ChangeType.REACTION);
        assertThat(removal.emoji()).isNull();
        assertThat(removal.targetMessageId()).isEqualTo("wamid.HBgMNTczMDAxMjM0NTY3FQIAERgSQkFFNUYzQzJBMUIwRDlFOAA=");
    }

    @Test
    void a_forwarded_message_says_so_and_a_reply_names_the_quoted_message() {
        ParsedWebhook parsed = parse(adapter, "kinds-context-forwarded.json");
        InboundMessage forwarded = (InboundMessage) parsed.events().get(0);
        InboundMessage reply = (InboundMessage) parsed.events().get(1);
        assertThat(forwarded.details().forwarded()).isTrue();
        assertThat(forwarded.details().quoted()).isNull();
        assertThat(reply.details().quoted().id()).isEqualTo("wamid.HBgMNTczMDAxMjM0NTY3FQIAERgSQkFFNUYzQzJBMUIwRDlFOAA=");
        assertThat(reply.details().quoted().preview()).isNull();
    }

    @Test
    void a_click_to_whatsapp_ad_keeps_its_referral() {
        InboundMessage message = message("kinds-referral.json");
        assertThat(message.kind()).isEqualTo(MessageKind.TEXT);
        Referral referral = message.details().referral();
        assertThat(referral.headline()).isEqualTo("Apartamentos en Chapinero desde $350M");
        assertThat(referral.sourceUrl()).isEqualTo("https://fb.me/3cr4Wqqkv");
        assertThat(referral.sourceType()).isEqualTo("ad");
        assertThat(referral.ctwaClid()).startsWith("ARAkLkA8");
    }

    @Test
    void a_voice_audio_is_a_voice_message() {
        InboundMessage message = message("kinds-voice.json");
        assertThat(message.kind()).isEqualTo(MessageKind.VOICE);
        assertThat(message.media().mediaId()).isEqualTo("1122334455667788");
    }

    @Test
    void an_unsupported_message_is_shown_with_metas_reason() {
        InboundMessage message = message("kinds-unsupported.json");
        assertThat(message.kind()).isEqualTo(MessageKind.UNSUPPORTED);
        assertThat(message.content()).isEqualTo("⚠️ Unsupported message: Message type is currently not supported.");
    }

    @Test
    void a_changed_number_is_a_system_message_with_the_new_phone() {
        InboundMessage message = message("kinds-system-changed-number.json");
        assertThat(message.kind()).isEqualTo(MessageKind.SYSTEM);
        assertThat(message.details().system()).isEqualTo(new SystemNotice("user_changed_number",
                "User Juan Pérez changed from 573001234567 to 573009876543", "+573009876543"));
        assertThat(message.text()).isEqualTo("User Juan Pérez changed from 573001234567 to 573009876543");
        assertThat(message.conversationId()).isEqualTo("573001234567");
    }

    @Test
    void a_request_welcome_is_not_a_message_from_the_user() {
        String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
                + "\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"phone_number_id\":\"106540352242922\"},"
                + "\"messages\":[{\"from\":\"573001234567\",\"id\":\"wamid.W1\",\"timestamp\":\"1772460900\","
                + "\"type\":\"request_welcome\"}]}}]}]}";
        assertThat(adapter.parse(Fixtures.request(), Json.parse(body)).events()).isEmpty();
    }

    private static String echoes(String echo) {
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"smb_message_echoes",
                 "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881",
                 "phone_number_id":"106540352242922"},"message_echoes":[""" + echo + "]}}]}]}";
    }

    /** Coexistence: the business's own message from the WhatsApp Business app, and its edit and revoke. */
    @Test
    void smb_message_echoes_are_the_business_own_messages_and_changes() {
        ParsedWebhook sent = adapter.parse(Fixtures.request(), Json.parse(echoes("""
                {"from":"15550783881","to":"16505551234","id":"wamid.E1","timestamp":"1739321024","type":"image",
                 "image":{"caption":"Catálogo","mime_type":"image/jpeg","id":"1479537139650973"}}""")));
        InboundMessage image = only(sent, InboundMessage.class);
        assertThat(image.direction()).isEqualTo(io.inboxrelay.core.Direction.AGENT);
        assertThat(image.conversationId()).isEqualTo("16505551234");
        assertThat(image.kind()).isEqualTo(MessageKind.IMAGE);
        assertThat(image.text()).isEqualTo("Catálogo");
        assertThat(sent.routes()).containsExactly("106540352242922");

        MessageChange edit = only(adapter.parse(Fixtures.request(), Json.parse(echoes("""
                {"from":"15550783881","to":"16505551234","id":"wamid.E2","timestamp":"1739321090","type":"edit",
                 "edit":{"original_message_id":"wamid.E1","message":{"type":"image","image":{"caption":"Catálogo 2026"}}}}"""))),
                MessageChange.class);
        assertThat(edit.type()).isEqualTo(ChangeType.EDIT);
        assertThat(edit.targetMessageId()).isEqualTo("wamid.E1");
        assertThat(edit.newText()).isEqualTo("Catálogo 2026");
        assertThat(edit.actor()).isEqualTo(io.inboxrelay.core.Direction.AGENT);

        MessageChange revoke = only(adapter.parse(Fixtures.request(), Json.parse(echoes("""
                {"from":"15550783881","to":"16505551234","id":"wamid.E3","timestamp":"1739321100","type":"revoke",
                 "revoke":{"original_message_id":"wamid.E1"}}"""))), MessageChange.class);
        assertThat(revoke.type()).isEqualTo(ChangeType.DELETE);
        assertThat(revoke.changeId()).isEqualTo("delete:wamid.E1");
        assertThat(revoke.conversationId()).isEqualTo("16505551234");
    }
}
