package io.inboxrelay.secrets;

import java.util.Map;

/**
 * Seals a secret for storage and opens it again, bound to an encryption context (for session secrets
 * {@code {tenantId, sessionId}}): an envelope copied to another item does not open there. In AWS the
 * data keys come from KMS ({@link KmsDataKeys}); on the local stack from a key file ({@link LocalDataKeys});
 * the envelope format and the code path are the same ({@link EnvelopeCipher}).
 */
public interface SecretsCipher {

    byte[] seal(byte[] plaintext, Map<String, String> context);

    /** @throws SealedSecretException when the envelope is damaged, of another key, or of another context */
    byte[] open(byte[] envelope, Map<String, String> context);
}
