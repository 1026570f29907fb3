package io.inboxrelay.core.phone;

/**
 * Canonical phone numbers: E.164 digits without '+', with the national quirks that make one
 * WhatsApp user appear under two numbers folded into one.
 */
public final class PhoneNumbers {

    private static final int MIN_DIGITS = 7;
    private static final int MAX_DIGITS = 15;

    private PhoneNumbers() {
    }

    /**
     * Canonical digits of a number written as digits, {@code +55 (11) 98765-4321}, or a WhatsApp id.
     *
     * @return the canonical digits, or null when the text is not a plausible phone number
     */
    public static String canonicalDigits(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder digits = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (c == '+' && digits.length() == 0) {
                continue;
            } else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
                return null;
            }
        }
        String number = digits.toString();
        if (number.length() < MIN_DIGITS || number.length() > MAX_DIGITS || number.charAt(0) == '0') {
            return null;
        }
        return fold(number);
    }

    /** E.164 with '+' for canonical digits; null stays null. */
    public static String e164(String canonicalDigits) {
        return canonicalDigits == null ? null : "+" + canonicalDigits;
    }

    private static String fold(String number) {
        int length = number.length();
        // Brazil: mobiles registered before the 9th digit keep 55 + DD + 8 digits as their WhatsApp id.
        if (length == 12 && number.startsWith("55") && isBrazilAreaCode(number) && isBrazilMobileLead(number.charAt(4))) {
            return number.substring(0, 4) + '9' + number.substring(4);
        }
        // Mexico: WhatsApp ids of mobiles keep the old "1" after the country code; E.164 dropped it in 2020.
        if (length == 13 && number.startsWith("521")) {
            return "52" + number.substring(3);
        }
        // Argentina: the mobile form is 54 9 + area + number; some APIs return it without the 9.
        if (length == 12 && number.startsWith("54") && number.charAt(2) != '9') {
            return "549" + number.substring(2);
        }
        return number;
    }

    private static boolean isBrazilAreaCode(String number) {
        return number.charAt(2) != '0' && number.charAt(3) != '0';
    }

    private static boolean isBrazilMobileLead(char c) {
        return c >= '6' && c <= '9';
    }
}
