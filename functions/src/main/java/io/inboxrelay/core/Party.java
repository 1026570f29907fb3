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
 */
public record Party(String contactId, String phone, String originalId, String name) {
}
