package io.inboxrelay.readapi;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;

/** HS256 tokens as a CRM backend would mint them for its agents. */
final class TestTokens {

    static final String SECRET = "read-api-test-secret-of-at-least-32-bytes!";

    private TestTokens() {
    }

    static String forTenant(String tenantId) {
        return signed(SECRET, tenantId, Instant.now().plusSeconds(3600));
    }

    static String expiredForTenant(String tenantId) {
        return signed(SECRET, tenantId, Instant.now().minusSeconds(3600));
    }

    static String signed(String secret, String tenantId, Instant expiresAt) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .subject("agent-1")
                    .claim("tenant_id", tenantId)
                    .issueTime(Date.from(Instant.now().minusSeconds(60)))
                    .expirationTime(Date.from(expiresAt))
                    .build());
            jwt.sign(new MACSigner(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
