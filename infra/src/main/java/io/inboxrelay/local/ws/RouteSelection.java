package io.inboxrelay.local.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import java.util.Set;

/** Route selection on {@code $request.body.<path>}: the named field's value if a route has that key, else $default. */
final class RouteSelection {

    private static final String PREFIX = "$request.body.";

    private RouteSelection() {
    }

    /** @return the route key, or null when nothing matches and there is no $default route */
    static String select(String expression, String body, Set<String> routeKeys) {
        String fallback = routeKeys.contains("$default") ? "$default" : null;
        if (expression == null || !expression.startsWith(PREFIX)) {
            return fallback;
        }
        JsonNode node;
        try {
            node = Json.parse(body);
        } catch (IllegalArgumentException notJson) {
            return fallback;
        }
        for (String field : expression.substring(PREFIX.length()).split("\\.")) {
            node = node == null ? null : node.get(field);
        }
        if (node == null || !node.isValueNode() || node.isNull()) {
            return fallback;
        }
        String key = node.asText();
        return routeKeys.contains(key) && !key.startsWith("$") ? key : fallback;
    }
}
