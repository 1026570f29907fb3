package io.inboxrelay.core.signature;

import java.security.MessageDigest;

/**
 * Tokens that are only ever compared, never used as a key (static webhook tokens, Meta's verify token),
 * are stored as {@code sha256:<hex>} of their UTF-8 bytes: a leaked item does not give them away, and
 * the comparison was already between SHA-256 digests ({@link Crypto#sameText}). A stored value without
 * the prefix is a token written before digests were kept, compared as it is.
 */
public final class TokenDigest {

    static final String PREFIX = "sha256:";

    private TokenDigest() {
    }

    /** The stored form of {@code token}; a value that is already a digest is returned unchanged. */
    public static String of(String token) {
        if (token == null || isDigest(token)) {
            return token;
        }
        return PREFIX + Crypto.hex(sha256(token));
    }

    public static boolean isDigest(String stored) {
        return stored != null && stored.startsWith(PREFIX) && Crypto.parseHex(stored.substring(PREFIX.length()), 32) != null;
    }

    /** Whether {@code offered} is the token {@code stored} holds (a digest, or a token stored before digests), in constant time. */
    public static boolean matches(String stored, String offered) {
        if (stored == null || offered == null) {
            return false;
        }
        if (isDigest(stored)) {
            return MessageDigest.isEqual(Crypto.parseHex(stored.substring(PREFIX.length()), 32), sha256(offered));
        }
        return Crypto.sameText(stored, offered);
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Crypto.utf8(token));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
