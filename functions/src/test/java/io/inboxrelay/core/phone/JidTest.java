package io.inboxrelay.core.phone;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class JidTest {

    @ParameterizedTest
    @CsvSource({
        "5511987654321@s.whatsapp.net, 5511987654321, PHONE",
        "5511987654321@c.us, 5511987654321, PHONE",
        "5511987654321@S.WhatsApp.Net, 5511987654321, PHONE",
        "120363041234567890@g.us, 120363041234567890, GROUP",
        "204936527069362@lid, 204936527069362, LID",
        "status@broadcast, status, BROADCAST",
        "120363166722337215@newsletter, 120363166722337215, NEWSLETTER",
        "5511987654321, 5511987654321, OTHER",
        "13135550002@bot, 13135550002, OTHER"})
    void the_server_part_says_what_a_jid_names(String raw, String user, JidKind kind) {
        Jid jid = Jid.parse(raw);
        assertThat(jid.user()).isEqualTo(user);
        assertThat(jid.kind()).isEqualTo(kind);
        assertThat(jid.raw()).isEqualTo(raw);
    }

    @Test
    void a_device_suffix_is_split_off_the_user() {
        Jid jid = Jid.parse("5511987654321:22@s.whatsapp.net");
        assertThat(jid.user()).isEqualTo("5511987654321");
        assertThat(jid.device()).isEqualTo("22");
        assertThat(jid.kind()).isEqualTo(JidKind.PHONE);
    }

    @Test
    void empty_jids_do_not_parse() {
        assertThat(Jid.parse(null)).isNull();
        assertThat(Jid.parse(" ")).isNull();
        assertThat(Jid.parse("@s.whatsapp.net")).isNull();
        assertThat(Jid.parse(":3@lid")).isNull();
    }

    @Test
    void broadcasts_and_channels_are_ignored_chats() {
        assertThat(Jid.parse("status@broadcast").isIgnoredChat()).isTrue();
        assertThat(Jid.parse("1234@newsletter").isIgnoredChat()).isTrue();
        assertThat(Jid.parse("5511987654321@c.us").isIgnoredChat()).isFalse();
    }
}
