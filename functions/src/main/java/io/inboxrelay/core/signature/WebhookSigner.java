package io.inboxrelay.core.signature;

import io.inboxrelay.core.SignatureKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Produces the headers a gateway would send, for each scheme: the local stack prints ready-made
 * curl commands with it, and tests and benchmarks sign their requests with it. It mirrors the
 * verifiers through the same primitives, and the published vectors pin both sides to the real
 * providers' output.
 */
public final class WebhookSigner {

    /** Evolution's tokens live ten minutes. */
    static final long EVOLUTION_TOKEN_SECONDS = 600;

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private WebhookSigner() {
    }

    /**
     * The headers that authenticate {@code body} under {@code kind}, as of {@code now}. The generic
     * HMAC scheme is signed with a timestamp, as a gateway should; see {@link #hmacSha256BodyOnly}.
     */
    public static Map<String, String> sign(SignatureKind kind, String secret, byte[] body, Instant now) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("a secret is required to sign");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        long seconds = now.getEpochSecond();
        switch (kind) {
            case HMAC_SHA256 -> {
                String timestamp = Long.toString(seconds);
                headers.put(HmacSha256Scheme.TIMESTAMP_HEADER, timestamp);
                headers.put(HmacSha256Scheme.SIGNATURE_HEADER, HmacSha256Scheme.SIGNATURE.format(
                        HmacSha256Scheme.SIGNATURE.compute(secret, Crypto.utf8(timestamp), new byte[] {'.'}, body)));
            }
            case HMAC_SHA256_BODY -> headers.putAll(hmacSha256BodyOnly(secret, body));
            case STANDARD_WEBHOOKS -> {
                String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
                headers.put(StandardWebhooksScheme.ID_HEADER, id);
                headers.put(StandardWebhooksScheme.TIMESTAMP_HEADER, Long.toString(seconds));
                headers.put(StandardWebhooksScheme.SIGNATURE_HEADER, standardWebhooksSignature(secret, id, seconds, body));
            }
            case WAHA_HMAC -> {
                headers.put(WahaHmacScheme.SIGNATURE.header(),
                        WahaHmacScheme.SIGNATURE.format(WahaHmacScheme.SIGNATURE.compute(secret, body)));
                headers.put(WahaHmacScheme.ALGORITHM_HEADER, "sha512");
            }
            case META -> headers.put(MetaScheme.SIGNATURE.header(),
                    MetaScheme.SIGNATURE.format(MetaScheme.SIGNATURE.compute(secret, body)));
            case EVOLUTION_JWT -> headers.put(BearerToken.HEADER, "Bearer " + evolutionJwt(secret, seconds));
            case STATIC_TOKEN -> headers.put(BearerToken.HEADER, "Bearer " + secret);
        }
        return headers;
    }

    /** The generic scheme without a timestamp, as older bridges send it. */
    public static Map<String, String> hmacSha256BodyOnly(String secret, byte[] body) {
        return Map.of(HmacSha256Scheme.SIGNATURE_HEADER,
                HmacSha256Scheme.SIGNATURE.format(HmacSha256Scheme.SIGNATURE.compute(secret, body)));
    }

    /** {@code v1,<base64>} for one message, exactly as the Standard Webhooks libraries sign it. */
    public static String standardWebhooksSignature(String secret, String id, long timestamp, byte[] body) {
        byte[] digest = Crypto.hmac(Crypto.HMAC_SHA256, StandardWebhooksScheme.key(secret),
                Crypto.utf8(id + "." + timestamp + "."), body);
        return StandardWebhooksScheme.VERSION + "," + Base64.getEncoder().encodeToString(digest);
    }

    /** A token shaped like Evolution's own: HS256, iat, exp ten minutes later, app and action. */
    public static String evolutionJwt(String secret, long issuedAtSeconds) {
        String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iat\":" + issuedAtSeconds + ",\"exp\":" + (issuedAtSeconds + EVOLUTION_TOKEN_SECONDS)
                + ",\"app\":\"evolution\",\"action\":\"webhook\"}";
        String signingInput = base64url(Crypto.utf8(header)) + "." + base64url(Crypto.utf8(claims));
        byte[] mac = Crypto.hmac(Crypto.HMAC_SHA256, Crypto.utf8(secret), Crypto.utf8(signingInput));
        return signingInput + "." + base64url(mac);
    }

    /**
     * A curl command that posts {@code body} with {@code headers}, ready to paste into a POSIX shell.
     * The body is sent with {@code --data-binary} so curl does not strip newlines, which would break
     * the signature.
     */
    public static String curlCommand(String url, Map<String, String> headers, byte[] body) {
        StringBuilder command = new StringBuilder("curl -sS -X POST ").append(shellQuote(url));
        command.append(" \\\n  -H ").append(shellQuote("Content-Type: application/json"));
        headers.forEach((name, value) -> command.append(" \\\n  -H ").append(shellQuote(name + ": " + value)));
        command.append(" \\\n  --data-binary ").append(shellQuote(new String(body, StandardCharsets.UTF_8)));
        return command.toString();
    }

    private static String shellQuote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static String base64url(byte[] bytes) {
        return BASE64URL.encodeToString(bytes);
    }
}
