package io.inboxrelay.local.ws;

import java.util.List;
import java.util.Map;

/** Whether a request carries an authorizer identity source; API Gateway answers 401 without calling the authorizer when one is missing. */
final class IdentitySources {

    private IdentitySources() {
    }

    static boolean present(String source, Map<String, List<String>> headers, Map<String, List<String>> query) {
        String header = "route.request.header.";
        String querystring = "route.request.querystring.";
        if (source.startsWith(header)) {
            String name = source.substring(header.length());
            return headers.entrySet().stream()
                    .anyMatch(entry -> entry.getKey().equalsIgnoreCase(name) && entry.getValue().stream().anyMatch(v -> !v.isBlank()));
        }
        if (source.startsWith(querystring)) {
            List<String> values = query.get(source.substring(querystring.length()));
            return values != null && values.stream().anyMatch(v -> !v.isBlank());
        }
        // stage variables and context sources are always there locally
        return true;
    }
}
