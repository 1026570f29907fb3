package io.inboxrelay.secrets;

import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * Data keys from AWS KMS: {@code GenerateDataKey} (the admin function's only KMS permission) and
 * {@code Decrypt} (the webhook function's), both with the encryption context, which the key policy's
 * IAM conditions require to name exactly {@code tenantId} and {@code sessionId}.
 */
public final class KmsDataKeys implements DataKeys {

    static final byte KIND = 1;

    private final KmsClient kms;
    private final String keyArn;

    public KmsDataKeys(KmsClient kms, String keyArn) {
        this.kms = kms;
        this.keyArn = keyArn;
    }

    @Override
    public byte kind() {
        return KIND;
    }

    @Override
    public DataKey generate(Map<String, String> context) {
        GenerateDataKeyResponse key = kms.generateDataKey(r -> r.keyId(keyArn).keySpec(DataKeySpec.AES_256).encryptionContext(context));
        return new DataKey(key.plaintext().asByteArray(), key.ciphertextBlob().asByteArray());
    }

    @Override
    public byte[] unwrap(byte[] wrapped, Map<String, String> context) {
        try {
            return kms.decrypt(r -> r.keyId(keyArn).ciphertextBlob(SdkBytes.fromByteArray(wrapped)).encryptionContext(context))
                    .plaintext().asByteArray();
        } catch (software.amazon.awssdk.services.kms.model.InvalidCiphertextException e) {
            throw new SealedSecretException("KMS refused the sealed secret's data key (another key or another context)", e);
        } catch (KmsException e) {
            // Throttling, a disabled key, a missing permission: not the caller's fault, so not a refusal.
            throw e;
        }
    }
}
