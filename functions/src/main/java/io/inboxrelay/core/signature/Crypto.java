package io.inboxrelay.core.signature;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The few primitives every scheme shares; kept in one place so no scheme compares bytes its own way. */
final class Crypto {

    static final String HMAC_SHA256 = "HmacSHA256";
    static final String HMAC_SHA512 = "HmacSHA512";

    private static final HexFormat HEX = HexFormat.of();

    private Crypto() {
    }

    /** HMAC over the concatenation of {@code parts}, fed in order so the body is never copied. */
    static byte[] hmac(String algorithm, byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            // Both algorithms are mandatory in every JDK: this cannot happen at runtime.
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** Hex of exactly {@code expectedBytes} bytes, either case; null when it is anything else. */
    static byte[] parseHex(String text, int expectedBytes) {
        if (text == null || text.length() != expectedBytes * 2) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return null;
            }
        }
        return HEX.parseHex(text);
    }

    /** Constant-time for equal lengths; every caller compares fixed-length digests. */
    static boolean same(byte[] expected, byte[] actual) {
        return expected != null && actual != null && MessageDigest.isEqual(expected, actual);
    }

    /**
     * Compares two free-length strings without leaking their length or content through timing, by
     * comparing their SHA-256 digests.
     */
    static boolean sameText(String expected, String actual) {
        if (expected == null || actual == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256(utf8(expected)), sha256(utf8(actual)));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
