package io.inboxrelay.core.signature;

/** Reads {@code Authorization: Bearer <token>}; the scheme name is case-insensitive (RFC 6750). */
final class BearerToken {

    static final String HEADER = "Authorization";
    private static final String SCHEME = "bearer ";

    private BearerToken() {
    }

    /** The token, or null when the value is not a non-empty bearer credential. */
    static String in(String authorization) {
        String value = authorization.trim();
        if (value.length() <= SCHEME.length() || !value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        String token = value.substring(SCHEME.length()).trim();
        return token.isEmpty() ? null : token;
    }
}
