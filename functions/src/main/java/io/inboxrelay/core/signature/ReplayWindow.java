package io.inboxrelay.core.signature;

import java.time.Instant;

/** The tolerance for a signed timestamp, in both directions (gateway clocks run fast as well as slow). */
final class ReplayWindow {

    static final long SECONDS = 300;

    private ReplayWindow() {
    }

    /** Epoch seconds written as plain decimal digits, or null for anything else (signs, fractions, overflow). */
    static Long parseEpochSeconds(String text) {
        if (text == null || text.isEmpty() || text.length() > 18) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        return Long.parseLong(text);
    }

    static boolean contains(long epochSeconds, Instant now) {
        long current = now.getEpochSecond();
        // Written as two comparisons, not abs(difference), so extreme values cannot overflow.
        return epochSeconds >= current - SECONDS && epochSeconds <= current + SECONDS;
    }
}
