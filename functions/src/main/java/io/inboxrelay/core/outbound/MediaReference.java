package io.inboxrelay.core.outbound;

/**
 * Which media to fetch: what the stored message knows of it. Each gateway needs a different part.
 *
 * @param messageId the gateway's message id (Evolution: {@code key.id}; WAHA: the serialized id; Inbox Hub: its id)
 * @param chat      the chat JID, or null (Evolution and WAHA locate some messages by it)
 * @param fromMe    whether the business sent it
 * @param mediaId   the gateway's media id (Meta: the {@code image.id} of the webhook), or null
 * @param mediaUrl  the URL the webhook carried (WAHA {@code media.url}, Inbox Hub {@code media.url}), or null
 * @param mimeType  the MIME type the webhook announced, or null
 */
public record MediaReference(String messageId, String chat, boolean fromMe, String mediaId, String mediaUrl, String mimeType) {

    public static MediaReference ofMessage(String messageId) {
        return new MediaReference(messageId, null, false, null, null, null);
    }

    @Override
    public String toString() {
        return "MediaReference[messageId=" + messageId + ", mediaId=" + mediaId + ", hasUrl=" + (mediaUrl != null) + "]";
    }
}
