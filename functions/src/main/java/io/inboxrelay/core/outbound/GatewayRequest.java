package io.inboxrelay.core.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One HTTP call to a gateway.
 *
 * @param provider         the gateway, for failures
 * @param operation        {@code sendText}, {@code markRead}, …: what failures and logs name instead of the URL
 * @param method           GET, POST, PUT
 * @param uri              the full URL
 * @param headers          request headers (credentials among them)
 * @param body             the body, or null
 * @param idempotent       true when repeating it is harmless, so a timeout may be retried; a send is not: the
 *                         gateway may have sent the message before the answer was lost
 * @param maxResponseBytes the largest body read; a larger one fails as {@link GatewayFailure.Kind#TOO_LARGE}
 * @param secrets          credentials that must never reach a failure's reason, even if the gateway echoes them
 */
public record GatewayRequest(Provider provider, String operation, String method, URI uri, Map<String, String> headers,
        byte[] body, boolean idempotent, long maxResponseBytes, List<Credential> secrets) {

    /** Enough for any JSON answer of a send, a receipt or a registration. */
    public static final long DEFAULT_MAX_RESPONSE = 1024 * 1024;

    public GatewayRequest {
        headers = Map.copyOf(headers);
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
    }

    public static GatewayRequest json(Provider provider, String operation, String method, URI uri, Map<String, String> headers,
            JsonNode body, boolean idempotent, List<Credential> secrets) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/json");
        all.put("Accept", "application/json");
        return new GatewayRequest(provider, operation, method, uri, all, Json.write(body).getBytes(StandardCharsets.UTF_8),
                idempotent, DEFAULT_MAX_RESPONSE, secrets);
    }

    public static GatewayRequest get(Provider provider, String operation, URI uri, Map<String, String> headers,
            long maxResponseBytes, List<Credential> secrets) {
        return new GatewayRequest(provider, operation, "GET", uri, headers, null, true, maxResponseBytes, secrets);
    }

    /** A failure of this request, its reason scrubbed of every credential the request carried. */
    public GatewayFailure failure(GatewayFailure.Kind kind, int httpStatus, String code, String reason, Duration retryAfter) {
        return new GatewayFailure(provider, operation, kind, httpStatus, scrub(code), scrub(reason), retryAfter);
    }

    String scrub(String text) {
        if (text == null) {
            return null;
        }
        String clean = text;
        for (Credential secret : secrets) {
            clean = clean.replace(secret.reveal(), "[redacted]");
        }
        return clean;
    }

    @Override
    public String toString() {
        return "GatewayRequest[" + provider.wireName() + " " + operation + " " + method + "]";
    }
}
