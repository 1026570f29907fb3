package io.inboxrelay.core.phone;

import io.inboxrelay.core.Party;

/** Builds the canonical {@link Party} for a WhatsApp JID, a phone number or a business-scoped user id. */
public final class Parties {

    public static final String LID_PREFIX = "lid:";
    public static final String USER_PREFIX = "user:";
    public static final String GROUP_PREFIX = "group:";

    private Parties() {
    }

    /**
     * Where a conversation's lead is reached at the gateway: a group by its JID (the stored one, else derived from
     * {@code group:<id>}), a person by the phone (E.164), else by the id the gateway gave.
     */
    public static String gatewayAddress(boolean group, String conversationId, String phone, String originalId) {
        if (group) {
            return originalId != null && originalId.endsWith("@g.us") ? originalId : groupJid(conversationId);
        }
        return phone != null ? phone : originalId;
    }

    /** {@code group:<id>} (or a bare id) as the group's JID, {@code <id>@g.us}. */
    public static String groupJid(String conversationId) {
        String id = conversationId.startsWith(GROUP_PREFIX) ? conversationId.substring(GROUP_PREFIX.length()) : conversationId;
        return id.contains("@") ? id : id + "@g.us";
    }

    /**
     * The person a JID names. A {@code @lid} is resolved through its {@code *Alt} phone JID when one is
     * given, else kept as an opaque {@code lid:<user>} contact without a phone.
     *
     * @param jid    the provider's JID (kept as {@code originalId}), or a bare phone number
     * @param altJid the alternative JID ({@code remoteJidAlt}/{@code participantAlt}), may be null
     * @param name   display name, may be null
     * @return the party, or null when neither JID names a person (groups, broadcasts, channels, junk)
     */
    public static Party fromJid(String jid, String altJid, String name) {
        Jid primary = Jid.parse(jid);
        Jid alt = Jid.parse(altJid);
        if (primary == null) {
            return alt == null ? null : fromJid(altJid, null, name);
        }
        String digits = phoneDigits(primary);
        if (digits == null) {
            digits = phoneDigits(alt);
        }
        if (digits != null) {
            return new Party(digits, PhoneNumbers.e164(digits), jid, name, lidOf(primary, alt));
        }
        if (primary.kind() == JidKind.LID) {
            return new Party(LID_PREFIX + primary.user(), null, jid, name);
        }
        if (alt != null && alt.kind() == JidKind.LID) {
            return new Party(LID_PREFIX + alt.user(), null, jid, name);
        }
        return null;
    }

    /** A party from a bare phone number or Meta {@code wa_id}; null when it is not a plausible number. */
    public static Party fromPhone(String phone, String name) {
        return fromPhone(phone, null, name);
    }

    /**
     * A party from a Meta {@code wa_id} and, when the payload gives it too, the business-scoped
     * {@code user_id} of the same person (learned as an alias); null when the phone is not plausible.
     */
    public static Party fromPhone(String phone, String userId, String name) {
        String digits = PhoneNumbers.canonicalDigits(phone);
        String alias = userId == null || userId.isBlank() ? null : USER_PREFIX + userId.trim();
        return digits == null ? null : new Party(digits, PhoneNumbers.e164(digits), phone, name, alias);
    }

    /** A Meta business-scoped user ({@code user_id}) whose phone number is not shared. */
    public static Party businessUser(String userId, String name) {
        if (userId == null || userId.isBlank()) {
            return null;
        }
        return new Party(USER_PREFIX + userId.trim(), null, userId, name);
    }

    /** A group as the contact of the business's own messages to it. */
    public static Party group(Jid group, String name) {
        return new Party(GROUP_PREFIX + group.user(), null, group.raw(), name);
    }

    /** The LID among the two JIDs, as {@code lid:<user>}, when the other one gave the phone. */
    private static String lidOf(Jid primary, Jid alt) {
        if (primary.kind() == JidKind.LID) {
            return LID_PREFIX + primary.user();
        }
        return alt != null && alt.kind() == JidKind.LID ? LID_PREFIX + alt.user() : null;
    }

    private static String phoneDigits(Jid jid) {
        if (jid == null) {
            return null;
        }
        // A JID without a server is how some APIs write a plain number.
        boolean phoneLike = jid.kind() == JidKind.PHONE || jid.server() == null;
        return phoneLike ? PhoneNumbers.canonicalDigits(jid.user()) : null;
    }
}
