package io.inboxrelay.core.phone;

import java.util.Locale;

/**
 * A parsed WhatsApp JID: {@code user[:device]@server}. A bare value without '@' is kept as the user
 * part with kind {@link JidKind#OTHER}, so callers can still try it as a phone number.
 *
 * @param raw    the text exactly as received
 * @param user   the user part without the device suffix
 * @param device the device suffix ({@code 22} in {@code 5511...:22@s.whatsapp.net}), or null
 * @param server the server part in lower case, or null when there was no '@'
 * @param kind   what the JID names
 */
public record Jid(String raw, String user, String device, String server, JidKind kind) {

    /** Parses a JID; null for null, blank, or text with an empty user part. */
    public static Jid parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String text = raw.trim();
        int at = text.lastIndexOf('@');
        String userPart = at < 0 ? text : text.substring(0, at);
        String server = at < 0 ? null : text.substring(at + 1).toLowerCase(Locale.ROOT);
        String device = null;
        int colon = userPart.indexOf(':');
        if (colon >= 0) {
            device = userPart.substring(colon + 1);
            userPart = userPart.substring(0, colon);
        }
        if (userPart.isEmpty()) {
            return null;
        }
        return new Jid(raw, userPart, device, server, kindOf(server));
    }

    private static JidKind kindOf(String server) {
        if (server == null) {
            return JidKind.OTHER;
        }
        return switch (server) {
            case "s.whatsapp.net", "c.us" -> JidKind.PHONE;
            case "g.us" -> JidKind.GROUP;
            case "lid" -> JidKind.LID;
            case "broadcast" -> JidKind.BROADCAST;
            case "newsletter" -> JidKind.NEWSLETTER;
            default -> JidKind.OTHER;
        };
    }

    /** Broadcast lists, status updates and channels are not conversations with a lead. */
    public boolean isIgnoredChat() {
        return kind == JidKind.BROADCAST || kind == JidKind.NEWSLETTER;
    }
}
