package io.inboxrelay.core.phone;

/** What a WhatsApp JID names, by its server part. */
public enum JidKind {
    /** {@code @s.whatsapp.net}, or the legacy {@code @c.us}: a phone user. */
    PHONE,
    /** {@code @g.us}. */
    GROUP,
    /** {@code @lid}: a hidden identity, not a phone number. */
    LID,
    /** {@code @broadcast}, including {@code status@broadcast}. */
    BROADCAST,
    /** {@code @newsletter}: a channel. */
    NEWSLETTER,
    /** Any other server, or a bare number without one. */
    OTHER
}
