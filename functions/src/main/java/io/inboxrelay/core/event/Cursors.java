package io.inboxrelay.core.event;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * Event cursors: {@code {epochMillis:013}-{random:10}}. Lexicographic order is time order, and
 * writers need no coordination to make unique ones.
 */
public final class Cursors {

    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Cursors() {
    }

    public static String next(Instant now) {
        StringBuilder cursor = new StringBuilder(24);
        cursor.append(String.format("%013d", now.toEpochMilli())).append('-');
        for (int i = 0; i < 10; i++) {
            cursor.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return cursor.toString();
    }

    /** A fresh cursor of the same millisecond that sorts after the given one. */
    public static String after(String cursor) {
        Instant at = instantOf(cursor);
        String next = next(at);
        while (next.compareTo(cursor) <= 0) {
            next = next(at);
        }
        return next;
    }

    /** The instant a cursor was made at, or null when the text is not a cursor. */
    public static Instant instantOf(String cursor) {
        if (cursor == null || cursor.length() < 13) {
            return null;
        }
        for (int i = 0; i < 13; i++) {
            if (!Character.isDigit(cursor.charAt(i))) {
                return null;
            }
        }
        return Instant.ofEpochMilli(Long.parseLong(cursor.substring(0, 13)));
    }

    /** The smallest cursor at or after an instant: a Query lower bound. */
    public static String floor(Instant instant) {
        return String.format("%013d", Math.max(0, instant.toEpochMilli()));
    }
}
