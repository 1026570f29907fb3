package io.inboxrelay.secrets;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import javax.crypto.Cipher;

/**
 * The local stack's stand-in for KMS: data keys wrapped with AES-256-GCM under a master key kept in a
 * file only its owner may read ({@code .local-data/sessions-key}, 0600 in a 0700 directory). The
 * envelope and the context binding are the ones used with KMS.
 */
public final class LocalDataKeys implements DataKeys {

    static final byte KIND = 2;
    public static final Path DEFAULT_FILE = OwnerOnlyFiles.LOCAL_DATA.resolve("sessions-key");

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int KEY_BYTES = 32;

    private final byte[] masterKey;

    public LocalDataKeys(byte[] masterKey) {
        if (masterKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("the local master key must be " + KEY_BYTES + " bytes");
        }
        this.masterKey = masterKey.clone();
    }

    /** The master key kept in {@code file}, made there (0600, in a 0700 directory) on first use. */
    public static LocalDataKeys fromFile(Path file) {
        byte[] key = OwnerOnlyFiles.secretFile(file, () -> {
            byte[] fresh = new byte[KEY_BYTES];
            RANDOM.nextBytes(fresh);
            return fresh;
        });
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException(file.toAbsolutePath() + " does not hold a " + KEY_BYTES + "-byte key; delete it to make a new one"
                    + " (sessions sealed with the old one must then be registered again)");
        }
        return new LocalDataKeys(key);
    }

    @Override
    public byte kind() {
        return KIND;
    }

    @Override
    public DataKey generate(Map<String, String> context) {
        byte[] dataKey = new byte[KEY_BYTES];
        RANDOM.nextBytes(dataKey);
        byte[] iv = new byte[EnvelopeCipher.IV_BYTES];
        RANDOM.nextBytes(iv);
        byte[] wrapped = EnvelopeCipher.gcm(Cipher.ENCRYPT_MODE, masterKey, iv, EnvelopeCipher.associatedData(context), dataKey);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(iv);
        out.writeBytes(wrapped);
        return new DataKey(dataKey, out.toByteArray());
    }

    @Override
    public byte[] unwrap(byte[] wrapped, Map<String, String> context) {
        if (wrapped.length <= EnvelopeCipher.IV_BYTES) {
            throw new SealedSecretException("sealed secret's data key is truncated");
        }
        byte[] iv = Arrays.copyOf(wrapped, EnvelopeCipher.IV_BYTES);
        byte[] key = Arrays.copyOfRange(wrapped, EnvelopeCipher.IV_BYTES, wrapped.length);
        return EnvelopeCipher.gcm(Cipher.DECRYPT_MODE, masterKey, iv, EnvelopeCipher.associatedData(context), key);
    }
}
