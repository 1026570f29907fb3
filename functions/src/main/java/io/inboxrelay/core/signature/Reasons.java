package io.inboxrelay.core.signature;

/**
 * The rejection reasons a gateway operator sees in the 401 body. They name the header and the
 * expected shape, never a secret, an expected signature or the value that was sent.
 */
final class Reasons {

    static final String NO_MATCH = "signature does not match";
    static final String NO_SECRET = "no signing secret is configured for this session";
    static final String OUTSIDE_WINDOW = "timestamp outside the " + ReplayWindow.SECONDS + " s replay window";

    private Reasons() {
    }

    /** A mismatch that names the signed form that was expected, so an operator can tell a wrong secret from a wrong form. */
    static Verification noMatch(String expected) {
        return Verification.rejected(NO_MATCH + ": expected " + expected);
    }

    static Verification missing(String header) {
        return Verification.rejected("missing " + header + " header");
    }

    static Verification malformed(String header, String expected) {
        return Verification.rejected("malformed " + header + " header: expected " + expected);
    }
}
