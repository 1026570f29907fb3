package io.inboxrelay.readapi;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import java.util.Map;

/** JSON answers with CORS headers, so an inbox page served from another origin can call the API. */
public final class HttpResponses {

    // Bearer tokens, never cookies: any origin may read the answers its token entitles it to.
    static final Map<String, String> CORS = Map.of(
            "Access-Control-Allow-Origin", "*",
            "Access-Control-Allow-Headers", "authorization, content-type",
            "Access-Control-Allow-Methods", "GET, POST, OPTIONS",
            "Access-Control-Max-Age", "600");

    private HttpResponses() {
    }

    public static APIGatewayV2HTTPResponse json(int status, JsonNode body) {
        Map<String, String> headers = new java.util.HashMap<>(CORS);
        headers.put("Content-Type", "application/json");
        headers.put("Cache-Control", "no-store");
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(Json.write(body))
                .build();
    }

    public static APIGatewayV2HTTPResponse error(int status, String code, String message) {
        return json(status, Json.object().put("error", code).put("message", message));
    }

    /** Bytes (base64 in the payload, as API Gateway expects a binary body) with the given headers and CORS. */
    public static APIGatewayV2HTTPResponse binary(int status, Map<String, String> headers, byte[] body) {
        Map<String, String> all = new java.util.HashMap<>(CORS);
        all.put("Access-Control-Expose-Headers", "Content-Disposition");
        all.putAll(headers);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(all)
                .withBody(java.util.Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(true)
                .build();
    }

    public static APIGatewayV2HTTPResponse preflight() {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(204).withHeaders(CORS).build();
    }
}
