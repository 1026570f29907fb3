package io.inboxrelay.store;

import io.inboxrelay.core.Session;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.signature.TokenDigest;
import io.inboxrelay.secrets.SealedSecretException;
import io.inboxrelay.secrets.SecretsCipher;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A session's secrets as SessionsTable keeps them: {@code sealedSecrets}, a list of envelopes (newest
 * first), each sealed with the encryption context {@code {tenantId, sessionId}}. A static token is
 * sealed as its digest ({@link TokenDigest}): it is only ever compared.
 *
 * <p>A registry that opens secrets (the webhook's) gets them in plain; one that does not (the admin's,
 * whose role may not decrypt) gets a reference to each envelope ({@link #isReference}), which a later
 * write stores again as it is — a rotation keeps the previous secret without ever seeing it.
 *
 * <p>Items written before secrets were sealed hold {@code secrets} in plain text: they are read as
 * they are, and sealed (the plain attribute removed) by the next write of the session — a rotation,
 * a disable or enable, or {@code sessions seal}.
 */
final class SessionSecrets {

    private static final Logger LOG = LoggerFactory.getLogger(SessionSecrets.class);

    /** Marks a secret that is a sealed envelope not opened; a NUL can be in no secret a gateway is configured with. */
    static final String REFERENCE = "\u0000sealed:";

    private final Supplier<SecretsCipher> cipher;
    private final boolean open;

    SessionSecrets(Supplier<SecretsCipher> cipher, boolean open) {
        this.cipher = cipher;
        this.open = open;
    }

    static boolean isReference(String secret) {
        return secret != null && secret.startsWith(REFERENCE);
    }

    static Map<String, String> context(String tenantId, String sessionId) {
        return Map.of(SessionItems.TENANT_ID, tenantId, SessionItems.SESSION_ID, sessionId);
    }

    /** The {@code sealedSecrets} attribute for the session's secrets (plain ones sealed, references kept). */
    AttributeValue seal(Session session) {
        Map<String, String> context = context(session.tenantId(), session.sessionId());
        List<AttributeValue> envelopes = new ArrayList<>();
        for (String secret : session.secrets()) {
            if (isReference(secret)) {
                envelopes.add(AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(secret.substring(REFERENCE.length())))));
                continue;
            }
            String stored = session.signature() == SignatureKind.STATIC_TOKEN ? TokenDigest.of(secret) : secret;
            envelopes.add(AttributeValue.fromB(SdkBytes.fromByteArray(cipher.get().seal(stored.getBytes(StandardCharsets.UTF_8), context))));
        }
        return AttributeValue.fromL(envelopes);
    }

    /** The secrets of an item: opened (or referenced) envelopes, else the plain ones of an item written before sealing. */
    List<String> read(Map<String, AttributeValue> item, String tenantId, String sessionId) {
        AttributeValue sealed = item.get(SessionItems.SEALED_SECRETS);
        if (sealed == null || !sealed.hasL()) {
            return Attrs.strings(item, SessionItems.SECRETS);
        }
        Map<String, String> context = context(tenantId, sessionId);
        List<String> secrets = new ArrayList<>();
        for (AttributeValue envelope : sealed.l()) {
            if (envelope.b() == null) {
                continue;
            }
            byte[] bytes = envelope.b().asByteArray();
            if (!open) {
                secrets.add(REFERENCE + Base64.getEncoder().encodeToString(bytes));
                continue;
            }
            try {
                secrets.add(new String(cipher.get().open(bytes, context), StandardCharsets.UTF_8));
            } catch (SealedSecretException e) {
                // Left out: this secret can authenticate nothing (the webhook answers 401), and the reason is logged.
                LOG.warn("a sealed secret of session {} does not open: {}", sessionId, e.getMessage());
            }
        }
        return secrets;
    }

    /** One credential sealed as the secrets are, with the session's {@code {tenantId, sessionId}}. */
    AttributeValue sealOne(String tenantId, String sessionId, String secret) {
        return AttributeValue.fromB(SdkBytes.fromByteArray(
                cipher.get().seal(secret.getBytes(StandardCharsets.UTF_8), context(tenantId, sessionId))));
    }

    /** The credential sealed by {@link #sealOne}, opened whatever this reader's setting: asking for it is the intent. */
    String openOne(AttributeValue sealed, String tenantId, String sessionId) {
        return new String(cipher.get().open(sealed.b().asByteArray(), context(tenantId, sessionId)), StandardCharsets.UTF_8);
    }
}
