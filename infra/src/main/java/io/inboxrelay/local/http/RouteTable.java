package io.inboxrelay.local.http;

import io.inboxrelay.local.template.HttpRouteSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP API route matching as API Gateway does it: the most specific path wins (literal segments
 * over {@code {param}} over a greedy {@code {proxy+}}), a method match over ANY, then {@code $default}.
 */
final class RouteTable {

    record Match(HttpRouteSpec route, Map<String, String> pathParameters) {
    }

    private final List<HttpRouteSpec> routes;

    RouteTable(List<HttpRouteSpec> routes) {
        this.routes = new ArrayList<>(routes);
        this.routes.sort(Comparator.comparing(RouteTable::specificity).reversed());
    }

    /** @param segments the decoded path segments, without the stage */
    Optional<Match> match(String method, List<String> segments) {
        for (boolean exactMethod : new boolean[] {true, false}) {
            for (HttpRouteSpec route : routes) {
                if ("$default".equals(route.path()) || !(exactMethod ? route.method().equals(method) : route.method().equals("ANY"))) {
                    continue;
                }
                Map<String, String> parameters = parameters(route.path(), segments);
                if (parameters != null) {
                    return Optional.of(new Match(route, parameters));
                }
            }
        }
        return routes.stream().filter(route -> "$default".equals(route.path())).findFirst().map(route -> new Match(route, Map.of()));
    }

    private static Map<String, String> parameters(String path, List<String> segments) {
        List<String> pattern = split(path);
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < pattern.size(); i++) {
            String part = pattern.get(i);
            if (part.startsWith("{") && part.endsWith("+}")) {
                if (i >= segments.size()) {
                    return null;
                }
                parameters.put(part.substring(1, part.length() - 2), String.join("/", segments.subList(i, segments.size())));
                return parameters;
            }
            if (i >= segments.size()) {
                return null;
            }
            if (part.startsWith("{") && part.endsWith("}")) {
                if (segments.get(i).isEmpty()) {
                    return null;
                }
                parameters.put(part.substring(1, part.length() - 1), segments.get(i));
            } else if (!part.equals(segments.get(i))) {
                return null;
            }
        }
        return pattern.size() == segments.size() ? parameters : null;
    }

    static List<String> split(String path) {
        List<String> parts = new ArrayList<>(List.of(path.split("/", -1)));
        if (!parts.isEmpty() && parts.get(0).isEmpty()) {
            parts.remove(0);
        }
        if (!parts.isEmpty() && parts.get(parts.size() - 1).isEmpty()) {
            parts.remove(parts.size() - 1);
        }
        return parts;
    }

    private static long specificity(HttpRouteSpec route) {
        if ("$default".equals(route.path())) {
            return Long.MIN_VALUE;
        }
        long score = 0;
        for (String part : split(route.path())) {
            score = score * 4 + (part.endsWith("+}") ? 0 : part.startsWith("{") ? 1 : 2);
        }
        return score * 64 + split(route.path()).size();
    }
}
