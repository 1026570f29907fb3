package io.inboxrelay.core;

/**
 * A WhatsApp user as one conversation sees them.
 *
 * @param contactId  stable id inside a tenant: canonical E.164 digits without '+' for a phone user
 *                   (Brazil's 9th digit, Mexico 521 and Argentina 54/549 folded), {@code lid:<id>} when only
 *                   a hidden LID identity is known, {@code user:<id>} for Meta's business-scoped user ids
 * @param phone      E.164 with '+', or null when no phone number is known
 * @param originalId the provider's own id (JID or wa_id), kept so replies go to the id we received
 * @param name       display name (push name or profile name), may be null
 * @param aliasId    the opaque id ({@code lid:<id>} or {@code user:<id>}) the same payload gave beside the
 *                   phone, or null: a pair the tenant's alias table learns (docs/MESSAGE-KINDS.md, "Identity")
 */
public record Party(String contactId, String phone, String originalId, String name, String aliasId) {

    public Party(String contactId, String phone, String originalId, String name) {
        this(contactId, phone, originalId, name, null);
    }

    /** True when the id is a hidden LID or a Meta business-scoped user id: no phone number is known. */
    public boolean opaque() {
        return isOpaque(contactId);
    }

    public static boolean isOpaque(String contactId) {
        return contactId != null && (contactId.startsWith("lid:") || contactId.startsWith("user:"));
    }

    /** The same person under the phone conversation the alias table names. */
    public Party resolvedTo(String canonicalId, String canonicalPhone) {
        return new Party(canonicalId, canonicalPhone, originalId, name, contactId);
    }
}
