package io.inboxrelay.core.auth;

/** Verifies a browser's JWT (WebSocket authorizer and REST read API alike). */
public interface TokenVerifier {

    /**
     * @return who the token speaks for
     * @throws AuthException when the token is missing, malformed, badly signed, expired or not yet valid,
     *                       of the wrong issuer or audience, or carries no tenant
     */
    Identity verify(String token);
}
