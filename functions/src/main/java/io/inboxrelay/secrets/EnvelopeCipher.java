package io.inboxrelay.secrets;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption: each secret under its own data key (AES-256-GCM), the data key wrapped by
 * {@link DataKeys} (KMS in AWS, a local key file on the local stack). The encryption context is
 * authenticated twice: by the key service when it unwraps the data key, and as GCM associated data.
 *
 * <pre>
 * "IRE1" | kind (1 byte: 1 KMS, 2 local) | wrapped key length (2 bytes) | wrapped key | IV (12) | ciphertext + tag (16)
 * </pre>
 *
 * Opened secrets are kept per container for {@link #OPEN_CACHE_TTL}, keyed by the envelope and the
 * context: an envelope always opens to the same secret, so the cache can never serve a stale one (a
 * rotation writes a new envelope); it only spares a key-service call per read, which matters because a
 * refused webhook re-reads the session. Bounded to {@link #OPEN_CACHE_ENTRIES} envelopes.
 */
public final class EnvelopeCipher implements SecretsCipher {

    static final byte[] MAGIC = "IRE1".getBytes(StandardCharsets.US_ASCII);
    static final int IV_BYTES = 12;
    static final int TAG_BITS = 128;
    public static final Duration OPEN_CACHE_TTL = Duration.ofMinutes(5);
    static final int OPEN_CACHE_ENTRIES = 10_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private record Opened(byte[] plaintext, Instant until) {
    }

    private final DataKeys keys;
    private final Clock clock;
    private final Map<String, Opened> opened = new ConcurrentHashMap<>();

    public EnvelopeCipher(DataKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    public EnvelopeCipher(DataKeys keys) {
        this(keys, Clock.systemUTC());
    }

    @Override
    public byte[] seal(byte[] plaintext, Map<String, String> context) {
        DataKeys.DataKey key = keys.generate(context);
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            byte[] ciphertext = gcm(Cipher.ENCRYPT_MODE, key.plaintext(), iv, associatedData(context), plaintext);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeByte(keys.kind());
            out.writeShort(key.wrapped().length);
            out.write(key.wrapped());
            out.write(iv);
            out.write(ciphertext);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Arrays.fill(key.plaintext(), (byte) 0);
        }
    }

    @Override
    public byte[] open(byte[] envelope, Map<String, String> context) {
        String cacheKey = cacheKey(envelope, context);
        Instant now = clock.instant();
        Opened hit = opened.get(cacheKey);
        if (hit != null && now.isBefore(hit.until())) {
            return hit.plaintext().clone();
        }
        byte[] plaintext = openUncached(envelope, context);
        if (opened.size() >= OPEN_CACHE_ENTRIES) {
            opened.clear();
        }
        opened.put(cacheKey, new Opened(plaintext.clone(), now.plus(OPEN_CACHE_TTL)));
        return plaintext;
    }

    private byte[] openUncached(byte[] envelope, Map<String, String> context) {
        ByteBuffer in = ByteBuffer.wrap(envelope);
        if (envelope.length < MAGIC.length + 3 + IV_BYTES + TAG_BITS / 8
                || !Arrays.equals(Arrays.copyOf(envelope, MAGIC.length), MAGIC)) {
            throw new SealedSecretException("not a sealed secret");
        }
        in.position(MAGIC.length);
        byte kind = in.get();
        if (kind != keys.kind()) {
            throw new SealedSecretException("sealed with " + kindName(kind) + ", but this function opens secrets with "
                    + kindName(keys.kind()) + ": register or rotate the session again with this deployment's key");
        }
        int wrappedLength = Short.toUnsignedInt(in.getShort());
        if (in.remaining() < wrappedLength + IV_BYTES + TAG_BITS / 8) {
            throw new SealedSecretException("sealed secret is truncated");
        }
        byte[] wrapped = new byte[wrappedLength];
        in.get(wrapped);
        byte[] iv = new byte[IV_BYTES];
        in.get(iv);
        byte[] ciphertext = new byte[in.remaining()];
        in.get(ciphertext);
        byte[] dataKey = keys.unwrap(wrapped, context);
        try {
            return gcm(Cipher.DECRYPT_MODE, dataKey, iv, associatedData(context), ciphertext);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    private static String kindName(byte kind) {
        return switch (kind) {
            case KmsDataKeys.KIND -> "a KMS key";
            case LocalDataKeys.KIND -> "the local stack's key";
            default -> "an unknown key (" + kind + ")";
        };
    }

    /** AES-256-GCM; a failed tag check (wrong key, wrong context, altered bytes) is a {@link SealedSecretException}. */
    static byte[] gcm(int mode, byte[] key, byte[] iv, byte[] associatedData, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(input);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new SealedSecretException("sealed secret does not open: another key or another context", e);
        } catch (GeneralSecurityException e) {
            throw new SealedSecretException("sealed secret does not open: " + e.getMessage(), e);
        }
    }

    /** The context as unambiguous bytes: sorted names, each name and value length-prefixed. */
    static byte[] associatedData(Map<String, String> context) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.write(MAGIC);
            for (Map.Entry<String, String> entry : new TreeMap<>(context).entrySet()) {
                byte[] name = entry.getKey().getBytes(StandardCharsets.UTF_8);
                byte[] value = entry.getValue().getBytes(StandardCharsets.UTF_8);
                out.writeInt(name.length);
                out.write(name);
                out.writeInt(value.length);
                out.write(value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String cacheKey(byte[] envelope, Map<String, String> context) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(associatedData(context));
            sha.update(envelope);
            return HexFormat.of().formatHex(sha.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
