package io.inboxrelay.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboxrelay.readapi.BadRequestException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SendRequestTest {

    private static SendRequest parse(String json) {
        return SendRequest.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void refused(String json, String because) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(BadRequestException.class).hasMessageContaining(because);
    }

    @Test
    void a_text_reply_needs_a_client_id_of_8_to_64_safe_characters_and_becomes_message_out_client_id() {
        SendRequest request = parse("{\"client_id\":\"3f1c0a9e-2b4d-4c8e-9f7a-0d1e2f3a4b5c\",\"text\":\"Olá\"}");
        assertThat(request.messageId()).isEqualTo("out-3f1c0a9e-2b4d-4c8e-9f7a-0d1e2f3a4b5c");
        assertThat(request.text()).isEqualTo("Olá");
        refused("{\"text\":\"Olá\"}", "client_id is required");
        refused("{\"client_id\":\"short\",\"text\":\"Olá\"}", "8 to 64");
        refused("{\"client_id\":\"has spaces in it\",\"text\":\"Olá\"}", "client_id");
        refused("{\"client_id\":\"" + "a".repeat(65) + "\",\"text\":\"Olá\"}", "client_id");
        refused("{\"client_id\":12345678,\"text\":\"Olá\"}", "client_id must be a string");
    }

    @Test
    void text_is_required_not_blank_and_at_most_4096_characters_counting_an_emoji_as_one() {
        refused("{\"client_id\":\"abcdefgh\"}", "text is required");
        refused("{\"client_id\":\"abcdefgh\",\"text\":\"  \\n \"}", "text is blank");
        assertThat(parse("{\"client_id\":\"abcdefgh\",\"text\":\"" + "😀".repeat(4096) + "\"}").text()).hasSize(8192);
        refused("{\"client_id\":\"abcdefgh\",\"text\":\"" + "a".repeat(4097) + "\"}", "more than 4096");
        refused("[1,2]", "JSON object");
        refused("not json", "JSON object");
    }

    @Test
    void media_goes_by_an_https_url_or_to_the_local_simulator_never_with_user_info_and_its_text_is_the_caption() {
        SendRequest media = parse("{\"client_id\":\"abcdefgh\",\"media_url\":\"https://files.example.com/a.pdf?sig=x\","
                + "\"media_type\":\"Application/PDF\",\"file_name\":\"a.pdf\",\"text\":\"  \"}");
        assertThat(media.text()).as("a blank caption is none").isNull();
        assertThat(media.mediaType()).isEqualTo("application/pdf");
        assertThat(parse("{\"client_id\":\"abcdefgh\",\"media_url\":\"http://127.0.0.1:3002/x.png\"}").mediaUrl())
                .isEqualTo("http://127.0.0.1:3002/x.png");
        refused("{\"client_id\":\"abcdefgh\",\"media_url\":\"http://files.example.com/a.png\"}", "must be https");
        refused("{\"client_id\":\"abcdefgh\",\"media_url\":\"https://user:pw@files.example.com/a.png\"}", "user name or password");
        refused("{\"client_id\":\"abcdefgh\",\"media_url\":\"ftp://files.example.com/a.png\"}", "must be https");
        refused("{\"client_id\":\"abcdefgh\",\"text\":\"x\",\"media_type\":\"image/png\"}", "without media_url");
        refused("{\"client_id\":\"abcdefgh\",\"media_url\":\"https://f.example.com/a\",\"media_type\":\"png\"}", "MIME type");
    }
}
