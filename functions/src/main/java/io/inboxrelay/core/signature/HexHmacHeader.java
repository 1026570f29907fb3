package io.inboxrelay.core.signature;

import java.util.List;
import java.util.Locale;

/**
 * One header carrying a hex HMAC, optionally behind a prefix such as {@code sha256=}: the shape
 * shared by the generic HMAC, Meta and WAHA schemes.
 */
record HexHmacHeader(String header, String prefix, String algorithm, int digestBytes) {

    /** The digest the header carries, or null when it is not there in the expected shape. */
    byte[] digestIn(String value) {
        String text = value.trim();
        if (!text.toLowerCase(Locale.ROOT).startsWith(prefix)) {
            return null;
        }
        return Crypto.parseHex(text.substring(prefix.length()), digestBytes);
    }

    String expectedShape() {
        return prefix + "<" + digestBytes * 2 + " hex digits>";
    }

    String format(byte[] digest) {
        return prefix + Crypto.hex(digest);
    }

    byte[] compute(String secret, byte[]... content) {
        return Crypto.hmac(algorithm, Crypto.utf8(secret), content);
    }

    /** Missing, malformed or wrong: the whole check for schemes that sign nothing but content. */
    Verification verify(String value, List<String> secrets, byte[]... content) {
        if (value == null) {
            return Reasons.missing(header);
        }
        byte[] sent = digestIn(value);
        if (sent == null) {
            return Reasons.malformed(header, expectedShape());
        }
        List<String> usable = Secrets.usable(secrets);
        if (usable.isEmpty()) {
            return Verification.rejected(Reasons.NO_SECRET);
        }
        boolean matched = false;
        for (String secret : usable) {
            // No early exit: the time taken does not tell which secret matched.
            matched |= Crypto.same(compute(secret, content), sent);
        }
        return matched ? Verification.ok() : Verification.rejected(Reasons.NO_MATCH);
    }
}
