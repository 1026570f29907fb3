package io.inboxrelay.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.core.Media;
import io.inboxrelay.core.event.MessageJson;
import io.inboxrelay.core.outbound.MediaReference;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class MediaMessageTest {

    private static Map<String, AttributeValue> item(Map<String, AttributeValue> media) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS("t1#3EB0C767D097B7C7C030"));
        item.put("messageId", AttributeValue.fromS("3EB0C767D097B7C7C030"));
        item.put("providerMessageId", AttributeValue.fromS("false_5511987654321@c.us_3EB0C767D097B7C7C030"));
        item.put("sessionId", AttributeValue.fromS("s-1"));
        item.put("direction", AttributeValue.fromS("lead"));
        item.put("conversationId", AttributeValue.fromS("5511987654321"));
        item.put("group", AttributeValue.fromBool(false));
        item.put("originalId", AttributeValue.fromS("5511987654321@c.us"));
        if (media != null) {
            item.put("media", AttributeValue.fromM(media));
        }
        return item;
    }

    private static Map<String, AttributeValue> picture() {
        Map<String, AttributeValue> media = new HashMap<>();
        media.put("type", AttributeValue.fromS("image"));
        media.put("mimeType", AttributeValue.fromS("image/jpeg"));
        media.put("url", AttributeValue.fromS("http://waha:3000/api/files/default/3EB0.jpeg"));
        media.put("sizeBytes", AttributeValue.fromN("1024"));
        media.put("available", AttributeValue.fromBool(true));
        return media;
    }

    @Test
    void a_lead_message_is_located_by_its_gateway_id_its_chat_and_its_url() {
        MediaMessage media = MediaMessage.fromItem(item(picture())).orElseThrow();
        assertThat(media.reference()).isEqualTo(new MediaReference("false_5511987654321@c.us_3EB0C767D097B7C7C030", "5511987654321@c.us",
                false, null, "http://waha:3000/api/files/default/3EB0.jpeg", "image/jpeg"));
        assertThat(media.sizeBytes()).isEqualTo(1024L);
        assertThat(media.available()).isTrue();
        assertThat(media.sessionId()).isEqualTo("s-1");
    }

    @Test
    void a_group_message_is_located_in_the_groups_chat_and_an_agents_as_from_me() {
        Map<String, AttributeValue> item = item(picture());
        item.put("conversationId", AttributeValue.fromS("group:120363025246125486"));
        item.put("group", AttributeValue.fromBool(true));
        item.put("direction", AttributeValue.fromS("agent"));
        MediaReference reference = MediaMessage.fromItem(item).orElseThrow().reference();
        assertThat(reference.chat()).isEqualTo("120363025246125486@g.us");
        assertThat(reference.fromMe()).isTrue();
    }

    @Test
    void a_message_without_a_gateway_id_is_located_by_its_own_id_and_one_without_media_has_none() {
        Map<String, AttributeValue> item = item(picture());
        item.remove("providerMessageId");
        assertThat(MediaMessage.fromItem(item).orElseThrow().reference().messageId()).isEqualTo("3EB0C767D097B7C7C030");
        assertThat(MediaMessage.fromItem(item(null))).isEmpty();
    }

    @Test
    void media_the_gateway_has_not_downloaded_is_not_available() {
        Map<String, AttributeValue> media = picture();
        media.put("available", AttributeValue.fromBool(false));
        assertThat(MediaMessage.fromItem(item(media)).orElseThrow().available()).isFalse();
    }

    @Test
    void media_is_fetchable_when_it_is_downloaded_and_something_names_it_at_the_gateway() {
        assertThat(Media.fetchable(true, "wamid.X", null, null)).isTrue();
        assertThat(Media.fetchable(true, null, "1234567890", null)).isTrue();
        assertThat(Media.fetchable(true, null, null, "http://waha/api/files/x.jpeg")).isTrue();
        assertThat(Media.fetchable(true, null, null, " ")).isFalse();
        assertThat(Media.fetchable(false, "wamid.X", "1234567890", "http://x")).isFalse();
    }

    @Test
    void pushed_media_says_whether_the_proxy_can_fetch_it_and_its_size() {
        Media photo = new Media("image", "image/jpeg", null, null, null, "1234567890", 2048L);
        assertThat(MessageJson.media(photo, "wamid.X").path("fetchable").asBoolean()).isTrue();
        assertThat(MessageJson.media(photo, "wamid.X").path("size").asLong()).isEqualTo(2048);
        assertThat(MessageJson.media(photo, "wamid.X").path("size_bytes").asLong()).isEqualTo(2048);
        Media pending = Media.placeholder("image", "image/jpeg", null, false);
        assertThat(MessageJson.media(pending, "wamid.X").path("fetchable").asBoolean()).isFalse();
        assertThat(MessageJson.media(pending, "wamid.X").has("size")).isFalse();
    }
}
