package io.inboxrelay.core;

import java.util.List;

/**
 * What a message carries beyond its text and media, each part null when it does not apply
 * (docs/MESSAGE-KINDS.md section 1).
 */
public record MessageDetails(
        Location location,
        List<ContactCard> contacts,
        Interactive interactive,
        Quoted quoted,
        Referral referral,
        SystemNotice system,
        boolean forwarded) {

    public static final MessageDetails NONE = new MessageDetails(null, null, null, null, null, null, false);

    public MessageDetails {
        contacts = contacts == null || contacts.isEmpty() ? null : List.copyOf(contacts);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    public static MessageDetails location(Location location) {
        return NONE.withLocation(location);
    }

    public MessageDetails withLocation(Location value) {
        return new MessageDetails(value, contacts, interactive, quoted, referral, system, forwarded);
    }

    public MessageDetails withContacts(List<ContactCard> value) {
        return new MessageDetails(location, value, interactive, quoted, referral, system, forwarded);
    }

    public MessageDetails withInteractive(Interactive value) {
        return new MessageDetails(location, contacts, value, quoted, referral, system, forwarded);
    }

    public MessageDetails withQuoted(Quoted value) {
        return new MessageDetails(location, contacts, interactive, value, referral, system, forwarded);
    }

    public MessageDetails withReferral(Referral value) {
        return new MessageDetails(location, contacts, interactive, quoted, value, system, forwarded);
    }

    public MessageDetails withSystem(SystemNotice value) {
        return new MessageDetails(location, contacts, interactive, quoted, referral, value, forwarded);
    }

    public MessageDetails withForwarded(boolean value) {
        return new MessageDetails(location, contacts, interactive, quoted, referral, system, value);
    }

    /** @param latitude and longitude in degrees; name, address and url may be null */
    public record Location(double latitude, double longitude, String name, String address, String url, boolean live) {
    }

    /**
     * @param phones    as sent: E.164 when the card says so, else the digits or text of the card
     * @param truncated true when the card had more phones than are kept
     */
    public record ContactCard(String name, List<String> phones, boolean truncated) {
        public ContactCard {
            phones = phones == null ? List.of() : List.copyOf(phones);
        }
    }

    /** @param type button, list or template */
    public record Interactive(String type, String id, String title) {
    }

    /** @param preview the quoted message's text when the gateway sends it, else null */
    public record Quoted(String id, String preview) {
    }

    /** A click-to-WhatsApp ad (Meta {@code referral}). */
    public record Referral(String sourceType, String sourceId, String sourceUrl, String headline, String body,
            String mediaType, String ctwaClid) {
    }

    /** @param newPhone the customer's new number ({@code customer_changed_number}), else null */
    public record SystemNotice(String type, String body, String newPhone) {
    }
}
