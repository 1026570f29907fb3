package io.inboxrelay.local.ws;

import java.nio.ByteBuffer;
import java.util.Base64;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketError;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One accepted socket; hands its lifecycle to the API. */
@WebSocket
public final class WsEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(WsEndpoint.class);

    private final WebSocketApi api;
    private final WsConnection connection;

    WsEndpoint(WebSocketApi api, WsConnection connection) {
        this.api = api;
        this.connection = connection;
    }

    @OnWebSocketOpen
    public void onOpen(Session session) {
        connection.session = session;
        api.opened(connection);
    }

    @OnWebSocketMessage
    public void onText(Session session, String message) {
        api.received(connection, message, false);
    }

    @OnWebSocketMessage
    public void onBinary(Session session, ByteBuffer payload, Callback callback) {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        callback.succeed();
        api.received(connection, Base64.getEncoder().encodeToString(bytes), true);
    }

    @OnWebSocketClose
    public void onClose(Session session, int statusCode, String reason) {
        api.closed(connection, statusCode, reason);
    }

    @OnWebSocketError
    public void onError(Session session, Throwable cause) {
        LOG.atDebug().addKeyValue("connectionId", connection.connectionId).log("socket error: {}", cause.toString());
    }
}
