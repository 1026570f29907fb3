package io.inboxrelay.media;

import io.inboxrelay.core.outbound.MediaReference;
import io.inboxrelay.core.phone.Parties;
import io.inboxrelay.store.MessageItems;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a stored message knows of its media: enough to find it at the gateway and to answer it.
 *
 * @param messageId         the id the read API lists
 * @param sessionId         the gateway session it came through
 * @param providerMessageId the gateway's id exactly as it sent it, or null (an agent's reply not yet sent)
 * @param chat              the chat's JID: the group's for a group, else the lead's original id; may be null
 * @param fromMe            sent by the business (the agent)
 * @param type              image, video, audio, document, sticker or other
 * @param mimeType          as the webhook announced it, or null
 * @param fileName          as the webhook gave it, or null
 * @param mediaId           the gateway's media id (Meta), or null
 * @param url               the media URL the webhook carried, or null
 * @param sizeBytes         as the webhook announced it, or null
 * @param available         false when the gateway announced media it had not downloaded (WAHA {@code media: null})
 */
public record MediaMessage(String messageId, String sessionId, String providerMessageId, String chat, boolean fromMe,
        String type, String mimeType, String fileName, String mediaId, String url, Long sizeBytes, boolean available) {

    /** The message item's media, or empty when the item holds none. */
    public static Optional<MediaMessage> fromItem(Map<String, AttributeValue> item) {
        AttributeValue media = item.get(MessageItems.MEDIA);
        if (media == null || !media.hasM()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> fields = media.m();
        AttributeValue available = fields.get("available");
        AttributeValue size = fields.get("sizeBytes");
        return Optional.of(new MediaMessage(text(item, MessageItems.MESSAGE_ID), text(item, MessageItems.SESSION_ID),
                text(item, MessageItems.PROVIDER_MESSAGE_ID), chat(item), "agent".equals(text(item, MessageItems.DIRECTION)),
                text(fields, "type"), text(fields, "mimeType"), text(fields, "fileName"), text(fields, "mediaId"),
                text(fields, "url"), size == null || size.n() == null ? null : Long.valueOf(size.n()),
                available == null || available.bool() == null || available.bool()));
    }

    /** What the gateway client needs to find the media. */
    public MediaReference reference() {
        return new MediaReference(providerMessageId == null ? messageId : providerMessageId, chat, fromMe, mediaId, url, mimeType);
    }

    // A group's messages are located in the group's chat; a direct chat's by the lead's own JID as the gateway gave it.
    private static String chat(Map<String, AttributeValue> item) {
        String conversationId = text(item, MessageItems.CONVERSATION_ID);
        AttributeValue group = item.get(MessageItems.GROUP);
        boolean isGroup = group != null && Boolean.TRUE.equals(group.bool());
        if (isGroup && conversationId != null && conversationId.startsWith(Parties.GROUP_PREFIX)) {
            return Parties.groupJid(conversationId);
        }
        return text(item, MessageItems.ORIGINAL_ID);
    }

    private static String text(Map<String, AttributeValue> map, String name) {
        AttributeValue value = map.get(name);
        return value == null ? null : value.s();
    }
}
