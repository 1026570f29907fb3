package io.inboxrelay.local.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.local.ApiIds;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The events API Gateway sends a WebSocket API's functions, field for field. */
final class WsEvents {

    private final String apiId;
    private final String stage;

    WsEvents(String apiId, String stage) {
        this.apiId = apiId;
        this.stage = stage;
    }

    /** The REQUEST authorizer's event on $connect. */
    ObjectNode authorizer(WsConnection connection, Map<String, List<String>> query) {
        ObjectNode event = Json.object();
        event.put("type", "REQUEST");
        event.put("methodArn", "arn:aws:execute-api:us-east-1:000000000000:" + apiId + "/" + stage + "/$connect");
        putHeaders(event, connection.headers);
        putQuery(event, query);
        event.putObject("stageVariables");
        ObjectNode context = context(event, connection, "$connect", "CONNECT");
        context.remove("authorizer");
        return event;
    }

    ObjectNode connect(WsConnection connection, Map<String, List<String>> query) {
        ObjectNode event = Json.object();
        putHeaders(event, connection.headers);
        putQuery(event, query);
        context(event, connection, "$connect", "CONNECT");
        event.put("isBase64Encoded", false);
        return event;
    }

    ObjectNode message(WsConnection connection, String routeKey, String body, boolean base64) {
        ObjectNode event = Json.object();
        ObjectNode context = context(event, connection, routeKey, "MESSAGE");
        context.put("messageId", ApiIds.next());
        event.put("body", body);
        event.put("isBase64Encoded", base64);
        return event;
    }

    ObjectNode disconnect(WsConnection connection, int statusCode, String reason) {
        ObjectNode event = Json.object();
        ObjectNode headers = event.putObject("headers");
        headers.put("Host", connection.domainName);
        headers.put("x-api-key", "");
        headers.put("X-Forwarded-For", "");
        headers.put("x-restapi", "");
        ObjectNode multi = event.putObject("multiValueHeaders");
        headers.fields().forEachRemaining(header -> multi.putArray(header.getKey()).add(header.getValue().asText()));
        ObjectNode context = context(event, connection, "$disconnect", "DISCONNECT");
        context.put("disconnectStatusCode", statusCode);
        context.put("disconnectReason", reason == null ? "" : reason);
        event.put("isBase64Encoded", false);
        return event;
    }

    private ObjectNode context(ObjectNode event, WsConnection connection, String routeKey, String eventType) {
        Instant now = Instant.now();
        ObjectNode context = event.putObject("requestContext");
        context.put("routeKey", routeKey);
        context.put("eventType", eventType);
        context.put("extendedRequestId", ApiIds.next());
        context.put("requestTime", ApiIds.requestTime(now));
        context.put("messageDirection", "IN");
        context.put("stage", stage);
        context.put("connectedAt", connection.connectedAt.toEpochMilli());
        context.put("requestTimeEpoch", now.toEpochMilli());
        ObjectNode identity = context.putObject("identity");
        identity.put("userAgent", connection.userAgent);
        identity.put("sourceIp", connection.sourceIp);
        context.put("requestId", ApiIds.next());
        context.put("domainName", connection.domainName);
        context.put("connectionId", connection.connectionId);
        context.put("apiId", apiId);
        if (connection.authorizer != null) {
            context.set("authorizer", connection.authorizer.deepCopy());
        }
        return context;
    }

    private static void putHeaders(ObjectNode event, Map<String, List<String>> headers) {
        ObjectNode single = event.putObject("headers");
        ObjectNode multi = event.putObject("multiValueHeaders");
        headers.forEach((name, values) -> {
            single.put(name, values.get(values.size() - 1));
            values.forEach(multi.putArray(name)::add);
        });
    }

    private static void putQuery(ObjectNode event, Map<String, List<String>> query) {
        if (query.isEmpty()) {
            return;
        }
        ObjectNode single = event.putObject("queryStringParameters");
        ObjectNode multi = event.putObject("multiValueQueryStringParameters");
        query.forEach((name, values) -> {
            single.put(name, values.get(values.size() - 1));
            values.forEach(multi.putArray(name)::add);
        });
    }
}
