package io.inboxrelay.core.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a browser's token travels: {@code ?token=} or, because browsers cannot set headers on a
 * WebSocket, as a subprotocol: {@code Sec-WebSocket-Protocol: inbox-relay, <jwt>}.
 */
public final class TokenTransport {

    public static final String PROTOCOL = "inbox-relay";
    public static final String HEADER = "Sec-WebSocket-Protocol";

    private TokenTransport() {
    }

    /** The token from the query string, else from the offered subprotocols; null when neither carries one. */
    public static String token(Map<String, String> query, String protocolHeader) {
        String fromQuery = query == null ? null : query.get("token");
        if (fromQuery != null && !fromQuery.isBlank()) {
            return fromQuery;
        }
        List<String> offered = offered(protocolHeader);
        for (String protocol : offered) {
            if (!PROTOCOL.equals(protocol)) {
                return protocol;
            }
        }
        return null;
    }

    /**
     * The subprotocol {@code $connect} must answer with: browsers close a socket whose offered
     * protocols were not answered. {@code inbox-relay} when offered, else the single offered value,
     * else null (no header).
     */
    public static String answer(String protocolHeader) {
        List<String> offered = offered(protocolHeader);
        if (offered.contains(PROTOCOL)) {
            return PROTOCOL;
        }
        return offered.size() == 1 ? offered.get(0) : null;
    }

    private static List<String> offered(String header) {
        List<String> protocols = new ArrayList<>();
        if (header != null) {
            for (String part : header.split(",")) {
                if (!part.isBlank()) {
                    protocols.add(part.trim());
                }
            }
        }
        return protocols;
    }
}
