package io.inboxrelay.local.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writes responses: a function's payload-2.0 result as API Gateway maps it, or a plain JSON answer. */
final class HttpResponses {

    private HttpResponses() {
    }

    static int json(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.getHeaders().put("Content-Type", "application/json");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return status;
    }

    /**
     * A result with {@code statusCode} is taken as is; any other result is, per payload format 2.0,
     * a 200 whose JSON body is the result itself.
     */
    static int fromLambda(Response response, Callback callback, JsonNode result) {
        if (!result.isObject() || !result.has("statusCode")) {
            String body = result.isTextual() ? result.asText() : result.isNull() ? "" : Json.write(result);
            return json(response, callback, 200, body);
        }
        int status = result.path("statusCode").asInt(500);
        response.setStatus(status);
        result.path("headers").fields().forEachRemaining(header -> response.getHeaders().put(header.getKey(), header.getValue().asText()));
        result.path("multiValueHeaders").fields().forEachRemaining(header ->
                header.getValue().forEach(value -> response.getHeaders().add(header.getKey(), value.asText())));
        result.path("cookies").forEach(cookie -> response.getHeaders().add("Set-Cookie", cookie.asText()));
        JsonNode body = result.path("body");
        byte[] bytes;
        if (body.isMissingNode() || body.isNull()) {
            bytes = new byte[0];
        } else if (result.path("isBase64Encoded").asBoolean(false)) {
            bytes = Base64.getDecoder().decode(body.asText());
        } else {
            bytes = body.asText().getBytes(StandardCharsets.UTF_8);
        }
        if (!response.getHeaders().contains("Content-Type") && bytes.length > 0) {
            response.getHeaders().put("Content-Type", "application/json");
        }
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return status;
    }
}
