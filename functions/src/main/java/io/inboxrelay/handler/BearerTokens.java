package io.inboxrelay.handler;

import io.inboxrelay.core.auth.AuthException;
import io.inboxrelay.core.auth.Identity;
import io.inboxrelay.core.auth.TokenVerifier;
import java.util.Map;

/** The bearer token of an HTTP API request, verified: one rule for every route a browser calls with its JWT. */
final class BearerTokens {

    private BearerTokens() {
    }

    /** @throws AuthException when the header is missing or the token is not valid */
    static Identity verify(TokenVerifier verifier, Map<String, String> headers) {
        String authorization = header(headers, "authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new AuthException("an Authorization: Bearer <token> header is required");
        }
        return verifier.verify(authorization.substring(7).trim());
    }

    // API Gateway lower-cases header names for HTTP APIs; other callers may not.
    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }
}
