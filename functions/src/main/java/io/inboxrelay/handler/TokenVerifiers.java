package io.inboxrelay.handler;

import io.inboxrelay.config.Clients;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.auth.HmacSecrets;
import io.inboxrelay.core.auth.JwtTokenVerifier;
import io.inboxrelay.core.auth.TokenVerifier;
import io.inboxrelay.secrets.SecretsManagerHmacSecrets;

/** The browser-token verifier the WebSocket authorizer and the read API share, from the function's settings. */
final class TokenVerifiers {

    private TokenVerifiers() {
    }

    /**
     * HS256 from JWT_SECRET_ARN (Secrets Manager, read at the first token) or, on the local stack
     * only, JWT_SECRET; RS256 from JWKS_URL with JWT_ISSUER and JWT_AUDIENCE required.
     */
    static TokenVerifier from(Config config) {
        HmacSecrets secrets = null;
        if (config.jwtSecretArn() != null) {
            secrets = SecretsManagerHmacSecrets.registered(config.jwtSecretArn(), Clients::secretsManager, config.jwtSecretCacheTtl());
        } else if (config.jwtSecret() != null) {
            secrets = HmacSecrets.fixed(JwtTokenVerifier.checkedSecret(config.jwtSecret()));
        }
        return JwtTokenVerifier.fromSettings(secrets, config.jwksUrl(), config.jwtIssuer(), config.jwtAudience(),
                config.tenantClaim(), config.maxTokenLifetime());
    }
}
