package io.inboxrelay.readapi;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.inboxrelay.core.auth.AuthException;
import io.inboxrelay.core.auth.Identity;
import io.inboxrelay.core.auth.TokenVerifier;
import java.util.Date;

/** Until the shared verifier lands: HS256 signature, expiry and tenant claim, as the contract asks. */
final class TestVerifier {

    private TestVerifier() {
    }

    static TokenVerifier hs256(String secret) {
        return token -> {
            try {
                SignedJWT jwt = SignedJWT.parse(token);
                if (!jwt.verify(new MACVerifier(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)))) {
                    throw new AuthException("bad signature");
                }
                Date exp = jwt.getJWTClaimsSet().getExpirationTime();
                if (exp == null || exp.before(new Date())) {
                    throw new AuthException("expired");
                }
                return new Identity(jwt.getJWTClaimsSet().getStringClaim("tenant_id"), jwt.getJWTClaimsSet().getSubject());
            } catch (java.text.ParseException | com.nimbusds.jose.JOSEException e) {
                throw new AuthException("malformed token");
            }
        };
    }
}
