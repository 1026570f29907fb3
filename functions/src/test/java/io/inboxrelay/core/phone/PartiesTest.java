package io.inboxrelay.core.phone;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.core.Party;
import org.junit.jupiter.api.Test;

class PartiesTest {

    @Test
    void a_phone_jid_becomes_canonical_digits_and_e164_keeping_the_original_id() {
        Party party = Parties.fromJid("551187654321@s.whatsapp.net", null, "Maria");
        assertThat(party).isEqualTo(new Party("5511987654321", "+5511987654321", "551187654321@s.whatsapp.net", "Maria"));
    }

    @Test
    void the_12_and_13_digit_brazil_jids_and_c_us_spelling_are_one_contact() {
        assertThat(Parties.fromJid("551187654321@s.whatsapp.net", null, null).contactId())
                .isEqualTo(Parties.fromJid("5511987654321@c.us", null, null).contactId())
                .isEqualTo(Parties.fromPhone("+55 11 98765-4321", null).contactId())
                .isEqualTo("5511987654321");
    }

    @Test
    void a_device_suffix_does_not_change_the_contact() {
        Party party = Parties.fromJid("5511987654321:22@s.whatsapp.net", null, null);
        assertThat(party.contactId()).isEqualTo("5511987654321");
        assertThat(party.originalId()).isEqualTo("5511987654321:22@s.whatsapp.net");
    }

    @Test
    void a_lid_with_its_alt_phone_jid_is_the_phone_contact() {
        Party party = Parties.fromJid("204936527069362@lid", "5511987654321@s.whatsapp.net", "Maria");
        assertThat(party.contactId()).isEqualTo("5511987654321");
        assertThat(party.phone()).isEqualTo("+5511987654321");
        assertThat(party.originalId()).isEqualTo("204936527069362@lid");
    }

    @Test
    void a_lid_without_a_phone_stays_an_opaque_contact_without_phone() {
        Party party = Parties.fromJid("204936527069362:5@lid", null, "Ana");
        assertThat(party).isEqualTo(new Party("lid:204936527069362", null, "204936527069362:5@lid", "Ana"));
    }

    @Test
    void a_phone_jid_whose_alt_is_a_lid_keeps_the_phone() {
        assertThat(Parties.fromJid("5511987654321@s.whatsapp.net", "204936527069362@lid", null).contactId())
                .isEqualTo("5511987654321");
    }

    @Test
    void mexico_and_argentina_forms_fold_to_one_contact() {
        assertThat(Parties.fromJid("5215512345678@s.whatsapp.net", null, null).contactId())
                .isEqualTo(Parties.fromPhone("525512345678", null).contactId()).isEqualTo("525512345678");
        assertThat(Parties.fromJid("541123456789@s.whatsapp.net", null, null).contactId())
                .isEqualTo(Parties.fromPhone("+54 9 11 2345-6789", null).contactId()).isEqualTo("5491123456789");
    }

    @Test
    void groups_broadcasts_and_junk_are_not_people() {
        assertThat(Parties.fromJid("120363041234567890@g.us", null, null)).isNull();
        assertThat(Parties.fromJid("status@broadcast", null, null)).isNull();
        assertThat(Parties.fromJid("hello@s.whatsapp.net", null, null)).isNull();
        assertThat(Parties.fromJid(null, null, null)).isNull();
    }

    @Test
    void a_business_scoped_user_has_no_phone() {
        assertThat(Parties.businessUser("US.13491208655302741918", "River"))
                .isEqualTo(new Party("user:US.13491208655302741918", null, "US.13491208655302741918", "River"));
    }

    @Test
    void an_incoming_group_message_belongs_to_the_group_and_its_contact_is_the_participant() {
        ChatAddress address = ChatAddress.resolve("120363041234567890@g.us", null, "551176543210@s.whatsapp.net", null, false, "Carlos");
        assertThat(address.conversationId()).isEqualTo("group:120363041234567890");
        assertThat(address.group()).isTrue();
        assertThat(address.contact()).isEqualTo(new Party("5511976543210", "+5511976543210", "551176543210@s.whatsapp.net", "Carlos"));
    }

    @Test
    void an_outgoing_group_message_has_the_group_as_its_contact() {
        ChatAddress address = ChatAddress.resolve("120363041234567890@g.us", null, null, null, true, "Acme");
        assertThat(address.contact()).isEqualTo(new Party("group:120363041234567890", null, "120363041234567890@g.us", null));
    }

    @Test
    void the_business_own_push_name_is_not_given_to_the_lead() {
        ChatAddress address = ChatAddress.resolve("5511987654321@s.whatsapp.net", null, null, null, true, "Acme Imóveis");
        assertThat(address.conversationId()).isEqualTo("5511987654321");
        assertThat(address.contact().name()).isNull();
    }

    @Test
    void broadcast_chats_resolve_to_nothing_and_are_reported_as_ignored() {
        assertThat(ChatAddress.resolve("status@broadcast", null, "5511987654321@s.whatsapp.net", null, false, null)).isNull();
        assertThat(ChatAddress.isIgnoredChat("status@broadcast")).isTrue();
        assertThat(ChatAddress.conversationIdOf("120363041234567890@g.us", null)).isEqualTo("group:120363041234567890");
        assertThat(ChatAddress.conversationIdOf("551187654321@c.us", null)).isEqualTo("5511987654321");
    }
}
