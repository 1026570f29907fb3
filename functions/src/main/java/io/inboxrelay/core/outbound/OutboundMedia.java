package io.inboxrelay.core.outbound;

/**
 * Media to send: the gateway downloads it from {@code url} (never the bytes through this system).
 *
 * @param url      an HTTPS URL the gateway can reach (a pre-signed S3 URL, the CRM's file store)
 * @param mimeType its MIME type, e.g. {@code image/jpeg}; required by WAHA and Evolution for documents
 * @param kind     image, video, audio, voice note or document; derived from the MIME type when null
 * @param caption  shown under the media, or null (WhatsApp shows no caption on audio)
 * @param fileName the name a document is shown with, or null
 */
public record OutboundMedia(String url, String mimeType, MediaKind kind, String caption, String fileName) {

    public OutboundMedia {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("media url is required");
        }
        kind = kind == null ? MediaKind.fromMimeType(mimeType) : kind;
    }

    @Override
    public String toString() {
        // URLs can be pre-signed (a credential in the query): never in a log line or an exception.
        return "OutboundMedia[kind=" + kind + ", mimeType=" + mimeType + "]";
    }
}
