package io.inboxrelay.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.inboxrelay.core.realtime.ClientMessage;

/** {@code $default}: whatever no route matched (malformed JSON included) gets a JSON error; the socket stays open. */
public class DefaultRouteHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        ClientMessage message = ClientMessage.parse(event.getBody());
        // A known type reaching $default means its route is not deployed; still an error for the client.
        return RouteErrors.unexpected(message instanceof ClientMessage.Malformed ? message
                : new ClientMessage.Unknown(typeOf(message)));
    }

    private static String typeOf(ClientMessage message) {
        return message instanceof ClientMessage.Unknown unknown ? unknown.type()
                : message.getClass().getSimpleName().toLowerCase();
    }
}
