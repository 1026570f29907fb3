package io.inboxrelay.core;

/**
 * Metadata of a media attachment. The media itself is never downloaded nor stored; base64 bodies
 * that some gateways inline are dropped.
 *
 * @param type      image, video, audio, document, sticker, location, contact or other
 * @param mimeType  may be null
 * @param caption   may be null
 * @param url       may be null (Meta gives a media id instead)
 * @param fileName  may be null
 * @param mediaId   provider media id (Meta), may be null
 * @param sizeBytes null when unknown
 */
public record Media(String type, String mimeType, String caption, String url, String fileName, String mediaId, Long sizeBytes) {
}
