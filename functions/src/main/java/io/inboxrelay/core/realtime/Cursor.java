package io.inboxrelay.core.realtime;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Event cursors, {@code {epochMillis:013}-{random:10}}: lexicographic order is time order.
 *
 * <p>A cursor is assigned before its write commits, so a slow writer can make an older cursor
 * visible after a newer one was already delivered. Resuming strictly after the client's last
 * cursor would skip it forever; resuming after {@code since − overlap} replays a window in which
 * such late commits land, and the client drops the ids it has already seen.
 */
public final class Cursor {

    private static final Pattern FORMAT = Pattern.compile("\\d{13}-[0-9A-Za-z]{1,64}");
    private static final Pattern MILLIS_ONLY = Pattern.compile("\\d{13}");

    private Cursor() {
    }

    public static boolean isValid(String cursor) {
        return cursor != null && (FORMAT.matcher(cursor).matches() || MILLIS_ONLY.matcher(cursor).matches());
    }

    /** @throws IllegalArgumentException when the cursor is not of this system's format */
    public static long millis(String cursor) {
        if (!isValid(cursor)) {
            throw new IllegalArgumentException("not a cursor: expected {epochMillis:013}-{random}");
        }
        return Long.parseLong(cursor.substring(0, 13));
    }

    /**
     * The exclusive lower bound of a resume query: every stored cursor greater than it is replayed.
     * A bare 13-digit key sorts before every cursor of that millisecond, so events of the window's
     * first millisecond are included.
     */
    public static String resumeLowerBound(String since, Duration overlap) {
        long from = Math.max(0, millis(since) - overlap.toMillis());
        return String.format("%013d", from);
    }
}
