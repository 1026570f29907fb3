package io.inboxrelay.core.auth;

import java.util.List;

/**
 * The HS256 secret's versions a browser token may be signed with: the current one first, then,
 * during a rotation, the previous one. Read when a token is verified, never at start-up, so a
 * SnapStart snapshot holds no secret.
 */
public interface HmacSecrets {

    /**
     * @return one or two secrets, newest first, each at least 32 bytes
     * @throws KeysUnavailableException when no version can be read (the caller answers 5xx, not 401:
     *                                  the token may be fine)
     */
    List<String> versions();

    /**
     * Re-reads the versions now unless that happened very recently (a token signed with a version
     * newer than the cached ones must not wait for the cache to expire, and a flood of badly signed
     * tokens must not become a flood of reads).
     *
     * @return true when the versions were re-read and differ from the ones held before
     */
    default boolean refresh() {
        return false;
    }

    /** A secret that never changes: the local stack's, and tests'. */
    static HmacSecrets fixed(String secret) {
        List<String> versions = List.of(secret);
        return () -> versions;
    }

    /** The secret store could not be read; no token can be checked against it just now. */
    final class KeysUnavailableException extends RuntimeException {
        public KeysUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
