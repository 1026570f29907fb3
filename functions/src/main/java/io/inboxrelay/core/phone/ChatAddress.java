package io.inboxrelay.core.phone;

import io.inboxrelay.core.Party;

/**
 * Where a message belongs: its conversation and its lead.
 *
 * @param conversationId the lead's contact id for a direct chat, {@code group:<id>} for a group
 * @param group          true for {@code @g.us} chats
 * @param contact        the other party of a direct chat; in a group the sending participant, or the
 *                       group itself for the business's own messages
 */
public record ChatAddress(String conversationId, boolean group, Party contact) {

    /**
     * Resolves a message's chat.
     *
     * @param chatJid        the chat ({@code remoteJid}); a group JID for groups
     * @param chatAlt        its alternative JID, may be null
     * @param participantJid the sender inside a group, may be null
     * @param participantAlt its alternative JID, may be null
     * @param fromMe         true for the business's own messages (the name given is then not the lead's)
     * @param name           the sender's display name, may be null
     * @return the address, or null when the chat is not a conversation with a lead or is unreadable;
     *         tell the two apart with {@link Jid#isIgnoredChat()}
     */
    public static ChatAddress resolve(String chatJid, String chatAlt, String participantJid, String participantAlt,
                                      boolean fromMe, String name) {
        Jid chat = Jid.parse(chatJid);
        if (chat == null || chat.isIgnoredChat()) {
            return null;
        }
        if (chat.kind() == JidKind.GROUP) {
            String conversationId = Parties.GROUP_PREFIX + chat.user();
            Party contact = fromMe ? Parties.group(chat, null) : Parties.fromJid(participantJid, participantAlt, name);
            return contact == null ? null : new ChatAddress(conversationId, true, contact);
        }
        Party contact = Parties.fromJid(chatJid, chatAlt, fromMe ? null : name);
        return contact == null ? null : new ChatAddress(contact.contactId(), false, contact);
    }

    /** The conversation a receipt names, or null when its chat is unknown or unreadable. */
    public static String conversationIdOf(String chatJid, String chatAlt) {
        Jid chat = Jid.parse(chatJid);
        if (chat != null && chat.kind() == JidKind.GROUP) {
            return Parties.GROUP_PREFIX + chat.user();
        }
        if (chat != null && chat.isIgnoredChat()) {
            return null;
        }
        Party party = Parties.fromJid(chatJid, chatAlt, null);
        return party == null ? null : party.contactId();
    }

    /** True when the chat is a broadcast list, status update or channel: not a conversation, ignored. */
    public static boolean isIgnoredChat(String chatJid) {
        Jid chat = Jid.parse(chatJid);
        return chat != null && chat.isIgnoredChat();
    }
}
