package io.inboxrelay.handler;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import java.util.Map;

/** Reads what the routes need from an API Gateway WebSocket event, and builds their answers. */
final class WebSocketRequest {

    /** Keys of the authorizer's context, which API Gateway hands to every route of the connection. */
    static final String TENANT_ID = "tenantId";
    static final String USER_ID = "userId";
    /** The token's {@code exp} (epoch seconds, as text): the socket is closed once it passes. */
    static final String TOKEN_EXPIRES_AT = "exp";

    private final APIGatewayV2WebSocketEvent event;

    WebSocketRequest(APIGatewayV2WebSocketEvent event) {
        this.event = event;
    }

    String connectionId() {
        return event.getRequestContext() == null ? null : event.getRequestContext().getConnectionId();
    }

    String tenantId() {
        return authorizerValue(TENANT_ID);
    }

    String userId() {
        return authorizerValue(USER_ID);
    }

    /** The token's {@code exp} in epoch seconds, 0 when the authorizer did not say (an older deployment). */
    long tokenExpiresAt() {
        String value = authorizerValue(TOKEN_EXPIRES_AT);
        if (value == null) {
            return 0;
        }
        try {
            return (long) Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    String body() {
        return event.getBody();
    }

    Map<String, String> query() {
        return event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
    }

    /** Header names are case-insensitive, and API Gateway passes them as the client wrote them. */
    String header(String name) {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    /** The {@code @connections} endpoint: configured (custom domains), else the one this request came through. */
    String managementEndpoint(String configured) {
        if (configured != null) {
            return configured;
        }
        var context = event.getRequestContext();
        return "https://" + context.getDomainName() + "/" + context.getStage();
    }

    private String authorizerValue(String key) {
        if (event.getRequestContext() == null || event.getRequestContext().getAuthorizer() == null) {
            return null;
        }
        Object value = event.getRequestContext().getAuthorizer().get(key);
        return value == null || String.valueOf(value).isBlank() ? null : String.valueOf(value);
    }

    static APIGatewayV2WebSocketResponse answer(int status, String body) {
        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(status);
        response.setBody(body);
        return response;
    }
}
