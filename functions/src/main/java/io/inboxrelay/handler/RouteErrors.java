package io.inboxrelay.handler;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.inboxrelay.core.realtime.ClientMessage;
import io.inboxrelay.core.realtime.ServerMessages;

/** Error answers shared by the routes; every one keeps the connection open (status 200). */
final class RouteErrors {

    private RouteErrors() {
    }

    static APIGatewayV2WebSocketResponse unexpected(ClientMessage message) {
        if (message instanceof ClientMessage.Malformed malformed) {
            return WebSocketRequest.answer(200, ServerMessages.error(ServerMessages.MALFORMED, malformed.reason()));
        }
        String type = message instanceof ClientMessage.Unknown unknown ? unknown.type() : message.getClass().getSimpleName().toLowerCase();
        return WebSocketRequest.answer(200, ServerMessages.error(ServerMessages.UNKNOWN_TYPE,
                "unknown message type '" + abbreviate(type) + "'; known: ping, subscribe, resume, status"));
    }

    static APIGatewayV2WebSocketResponse notConnected() {
        return WebSocketRequest.answer(200, ServerMessages.error(ServerMessages.NOT_CONNECTED,
                "this connection is not registered (expired?): reconnect"));
    }

    private static String abbreviate(String type) {
        return type.length() > 40 ? type.substring(0, 40) + "…" : type;
    }
}
