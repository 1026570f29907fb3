package io.inboxrelay.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.signature.WebhookSigner;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** HTTP API (payload 2.0) events as API Gateway hands them to a function, for handler tests. */
public final class HttpApiEvents {

    private HttpApiEvents() {
    }

    /** A webhook POST signed with the scheme and secret, as a gateway sends it. */
    public static APIGatewayV2HTTPEvent signedWebhook(String sessionId, byte[] body, SignatureKind kind, String secret) {
        return webhook("POST", sessionId, body, signedHeaders(body, kind, secret, "application/json"));
    }

    /** Lower-cased header names, as API Gateway delivers them. */
    public static Map<String, String> signedHeaders(byte[] body, SignatureKind kind, String secret, String contentType) {
        Map<String, String> headers = new HashMap<>();
        WebhookSigner.sign(kind, secret, body, Instant.now()).forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        headers.put("content-type", contentType);
        return headers;
    }

    public static APIGatewayV2HTTPEvent webhook(String method, String sessionId, byte[] body, Map<String, String> headers) {
        return APIGatewayV2HTTPEvent.builder()
                .withRouteKey(method + " /webhooks/{sessionId}")
                .withRawPath("/webhooks/" + sessionId)
                .withHeaders(headers)
                .withPathParameters(Map.of("sessionId", sessionId))
                .withBody(Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(true)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method).withPath("/webhooks/" + sessionId).withSourceIp("203.0.113.9").build())
                        .build())
                .build();
    }
}
