package io.inboxrelay.core;

import java.util.Locale;

/**
 * What a message is, as {@code kind} in the pushed events and the read API (docs/MESSAGE-KINDS.md).
 * Each kind has the short label an agent reads when the message has no text of its own.
 */
public enum MessageKind {
    TEXT("💬 Message"),
    IMAGE("📷 Photo"),
    VIDEO("🎥 Video"),
    AUDIO("🎵 Audio"),
    DOCUMENT("📄 Document"),
    STICKER("💟 Sticker"),
    VOICE("🎤 Voice message"),
    LOCATION("📍 Location"),
    CONTACTS("👤 Contact"),
    INTERACTIVE_REPLY("🔘 Reply"),
    SYSTEM("ℹ️ Notice"),
    UNSUPPORTED("⚠️ Unsupported message");

    private final String label;

    MessageKind(String label) {
        this.label = label;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String label() {
        return label;
    }

    /** The kind of a media attachment by its type ({@code image}, {@code audio}, …); a voice note is {@link #VOICE}. */
    public static MessageKind ofMedia(Media media) {
        return media == null ? TEXT : ofMediaType(media.type(), media.voice());
    }

    /** The kind of a media type as stored ({@code image}, {@code audio}, …). */
    public static MessageKind ofMediaType(String type, boolean voice) {
        if (voice) {
            return VOICE;
        }
        return switch (type == null ? "" : type) {
            case "image" -> IMAGE;
            case "video" -> VIDEO;
            case "audio" -> AUDIO;
            case "sticker" -> STICKER;
            case "location" -> LOCATION;
            case "contact", "contacts" -> CONTACTS;
            default -> DOCUMENT;
        };
    }

    /** A stored wire name back to the kind; unknown or absent (items older than kinds) reads as {@code fallback}. */
    public static MessageKind fromWireName(String wireName, MessageKind fallback) {
        for (MessageKind kind : values()) {
            if (kind.wireName().equals(wireName)) {
                return kind;
            }
        }
        return fallback;
    }

    /** What an agent reads for a message of this kind: its text, else the label. */
    public String content(String text) {
        return text != null ? text : label;
    }

    /** The conversation list's line: a location or contact names what it is ("📍 Location: Praça da Sé"). */
    public String preview(String text) {
        if (text == null) {
            return label;
        }
        return this == LOCATION || this == CONTACTS ? label + ": " + text : text;
    }
}
