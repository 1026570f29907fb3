package io.inboxrelay.local.ws;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The open connections by id: what the {@code @connections} endpoint and the WebSocket endpoint share. */
final class Connections {

    private final ConcurrentHashMap<String, WsConnection> open = new ConcurrentHashMap<>();

    void add(WsConnection connection) {
        open.put(connection.connectionId, connection);
    }

    void remove(WsConnection connection) {
        open.remove(connection.connectionId, connection);
    }

    Optional<WsConnection> get(String connectionId) {
        return Optional.ofNullable(open.get(connectionId));
    }

    Collection<WsConnection> all() {
        return open.values();
    }
}
