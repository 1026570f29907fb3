package io.inboxrelay.core.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a browser's token travels: {@code ?token=} or, because browsers cannot set headers on a
 * WebSocket, as a subprotocol beside {@code inbox-relay}: {@code Sec-WebSocket-Protocol: inbox-relay, <jwt>}.
 *
 * <p>The upgrade answers {@code inbox-relay} and nothing else: a token offered as the only
 * subprotocol would have to be echoed back (a browser closes a socket whose offer was not
 * answered), and a token belongs in no response header, so such an offer is refused.
 */
public final class TokenTransport {

    public static final String PROTOCOL = "inbox-relay";
    public static final String HEADER = "Sec-WebSocket-Protocol";

    private TokenTransport() {
    }

    /**
     * The token from the query string, else from the offered subprotocols; null when neither carries one.
     *
     * @throws AuthException when the token comes as a subprotocol without {@code inbox-relay} offered beside it
     */
    public static String token(Map<String, String> query, String protocolHeader) {
        String fromQuery = query == null ? null : query.get("token");
        if (fromQuery != null && !fromQuery.isBlank()) {
            return fromQuery;
        }
        List<String> offered = offered(protocolHeader);
        for (String protocol : offered) {
            if (!PROTOCOL.equals(protocol)) {
                if (!offered.contains(PROTOCOL)) {
                    throw new AuthException("a token in Sec-WebSocket-Protocol must be offered with the inbox-relay"
                            + " subprotocol: ['inbox-relay', token]");
                }
                return protocol;
            }
        }
        return null;
    }

    /**
     * The subprotocol {@code $connect} answers with: {@code inbox-relay} when offered, else null (no
     * header). Never an offered token.
     */
    public static String answer(String protocolHeader) {
        return offered(protocolHeader).contains(PROTOCOL) ? PROTOCOL : null;
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
