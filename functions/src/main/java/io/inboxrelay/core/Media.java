package io.inboxrelay.core;

/**
 * Metadata of a media attachment. The media itself is never downloaded nor stored; base64 bodies
 * that some gateways inline are dropped.
 *
 * @param type      image, video, audio, document, sticker or other
 * @param mimeType  may be null
 * @param caption   may be null
 * @param url       may be null (Meta gives a media id instead)
 * @param fileName  may be null
 * @param mediaId   provider media id (Meta), may be null
 * @param sizeBytes null when unknown
 * @param available false when the gateway announced media but gave no link and no id yet (WAHA
 *                  {@code hasMedia: true, media: null}): the message is a placeholder, never silence
 * @param voice     a voice note (push-to-talk), always with type audio
 */
public record Media(String type, String mimeType, String caption, String url, String fileName, String mediaId, Long sizeBytes,
        boolean available, boolean voice) {

    public Media(String type, String mimeType, String caption, String url, String fileName, String mediaId, Long sizeBytes) {
        this(type, mimeType, caption, url, fileName, mediaId, sizeBytes, true, false);
    }

    /** Media announced without a link or id yet. */
    public static Media placeholder(String type, String mimeType, String caption, boolean voice) {
        return new Media(type, mimeType, caption, null, null, null, null, false, voice);
    }

    /** Whether the media can be located at its gateway (see {@link #fetchable(boolean, String, String, String)}). */
    public boolean fetchable(String providerMessageId) {
        return fetchable(available, providerMessageId, mediaId, url);
    }

    /**
     * Whether media can be located at its gateway: the gateway announced it as downloaded and something names it
     * there (the message's gateway id, a media id or a URL). Whether the session has credentials is the proxy's
     * answer (409), not this.
     */
    public static boolean fetchable(boolean available, String providerMessageId, String mediaId, String url) {
        return available && (present(providerMessageId) || present(mediaId) || present(url));
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    public Media asVoice() {
        return new Media(type, mimeType, caption, url, fileName, mediaId, sizeBytes, available, true);
    }
}
