package io.inboxrelay.core.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/**
 * The gateway's final answer to a {@link GatewayRequest}, after any retries.
 *
 * @param status   the HTTP status
 * @param headers  the response headers
 * @param body     the body (bounded by the request's {@code maxResponseBytes})
 * @param attempts how many attempts it took
 */
public record GatewayResponse(int status, HttpHeaders headers, byte[] body, int attempts) {

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    /** The body as JSON, or a missing node when it is empty or not JSON (gateways answer errors in HTML too). */
    public JsonNode json() {
        if (body == null || body.length == 0) {
            return Json.MAPPER.missingNode();
        }
        try {
            JsonNode node = Json.parse(body);
            return node == null ? Json.MAPPER.missingNode() : node;
        } catch (IOException e) {
            return Json.MAPPER.missingNode();
        }
    }

    /** The body as text, for a reason when it is not JSON; at most a few hundred characters matter. */
    public String text() {
        if (body == null) {
            return "";
        }
        int length = Math.min(body.length, 1000);
        return new String(body, 0, length, StandardCharsets.UTF_8).strip();
    }

    @Override
    public String toString() {
        return "GatewayResponse[" + status + ", " + (body == null ? 0 : body.length) + " bytes, attempts=" + attempts + "]";
    }
}
