package io.inboxrelay.core.outbound;

import java.util.Locale;

/** The kinds of media an agent can send; each gateway names and routes them its own way. */
public enum MediaKind {
    IMAGE, VIDEO, AUDIO, VOICE, DOCUMENT;

    /** The kind a MIME type implies when the caller did not say: {@code image/*}, {@code video/*}, {@code audio/*}, else a document. */
    public static MediaKind fromMimeType(String mimeType) {
        String type = mimeType == null ? "" : mimeType.trim().toLowerCase(Locale.ROOT);
        if (type.startsWith("image/")) {
            return IMAGE;
        }
        if (type.startsWith("video/")) {
            return VIDEO;
        }
        if (type.startsWith("audio/")) {
            return type.contains("opus") || type.startsWith("audio/ogg") ? VOICE : AUDIO;
        }
        return DOCUMENT;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
