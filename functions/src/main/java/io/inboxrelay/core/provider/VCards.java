package io.inboxrelay.core.provider;

import io.inboxrelay.core.MessageDetails.ContactCard;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the name and phone numbers of a vCard (what WhatsApp puts in contact messages): {@code FN},
 * else {@code N}, and every {@code TEL}, preferring WhatsApp's {@code waid} parameter as {@code +digits}.
 * Nothing else of the card is kept.
 */
final class VCards {

    static final int MAX_PHONES = 5;
    static final int MAX_CARDS = 10;
    private static final int MAX_FIELD = 200;
    private static final int MAX_PHONE = 40;

    private VCards() {
    }

    static ContactCard read(String vcard, String fallbackName) {
        String name = null;
        String structuredName = null;
        List<String> phones = new ArrayList<>();
        boolean truncated = false;
        if (vcard != null) {
            for (String raw : vcard.replace("\r\n ", "").split("\\r?\\n")) {
                int colon = raw.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String head = raw.substring(0, colon);
                String value = raw.substring(colon + 1).trim();
                String property = head.contains(";") ? head.substring(0, head.indexOf(';')) : head;
                int dot = property.lastIndexOf('.');
                property = property.substring(dot + 1).toUpperCase(Locale.ROOT);
                if (property.equals("FN") && !value.isEmpty()) {
                    name = value;
                } else if (property.equals("N") && !value.replace(";", "").isBlank()) {
                    structuredName = String.join(" ", List.of(value.split(";"))).trim().replaceAll("\\s+", " ");
                } else if (property.equals("TEL")) {
                    String phone = phone(head, value);
                    if (phone == null) {
                        continue;
                    }
                    if (phones.size() < MAX_PHONES) {
                        phones.add(phone);
                    } else {
                        truncated = true;
                    }
                }
            }
        }
        String shown = name != null ? name : fallbackName != null ? fallbackName : structuredName;
        return new ContactCard(cut(shown), phones, truncated);
    }

    /** WhatsApp writes {@code TEL;type=CELL;waid=5511987654321:+55 11 98765-4321}: the waid is the number. */
    private static String phone(String head, String value) {
        for (String parameter : head.split(";")) {
            if (parameter.toLowerCase(Locale.ROOT).startsWith("waid=")) {
                String digits = parameter.substring(5).replaceAll("\\D", "");
                if (!digits.isEmpty()) {
                    return "+" + digits;
                }
            }
        }
        return value.isEmpty() ? null : value.length() <= MAX_PHONE ? value : value.substring(0, MAX_PHONE);
    }

    static String cut(String value) {
        return value == null || value.length() <= MAX_FIELD ? value : value.substring(0, MAX_FIELD);
    }
}
