package io.inboxrelay.readapi;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which read-API operation an HTTP request asks for. The path may carry a stage prefix
 * ({@code /prod/api/...}) when the API has a named stage.
 *
 * @param conversationId null for the conversation list
 */
public record ReadApiRequest(Operation operation, String conversationId) {

    public enum Operation { LIST_CONVERSATIONS, LIST_MESSAGES, MARK_READ, PREFLIGHT, NOT_FOUND, METHOD_NOT_ALLOWED }

    private static final Pattern PATH = Pattern.compile("^(?:/[^/]+)?/api/conversations(?:/([^/]+)/(messages|read))?/?$");

    public static ReadApiRequest of(String method, String path, Map<String, String> pathParameters) {
        if ("OPTIONS".equalsIgnoreCase(method)) {
            return new ReadApiRequest(Operation.PREFLIGHT, null);
        }
        Matcher matcher = PATH.matcher(path == null ? "" : path);
        if (!matcher.matches()) {
            return new ReadApiRequest(Operation.NOT_FOUND, null);
        }
        String conversationId = conversationId(matcher, pathParameters);
        String action = matcher.group(2);
        if (action == null) {
            return new ReadApiRequest("GET".equalsIgnoreCase(method) ? Operation.LIST_CONVERSATIONS : Operation.METHOD_NOT_ALLOWED, null);
        }
        if (action.equals("messages")) {
            return new ReadApiRequest("GET".equalsIgnoreCase(method) ? Operation.LIST_MESSAGES : Operation.METHOD_NOT_ALLOWED, conversationId);
        }
        return new ReadApiRequest("POST".equalsIgnoreCase(method) ? Operation.MARK_READ : Operation.METHOD_NOT_ALLOWED, conversationId);
    }

    /**
     * The conversation a {@code /api/conversations/{id}/…} path names (the route's path parameter, else the decoded
     * segment), or null when the path names none.
     */
    public static String conversationId(String path, Map<String, String> pathParameters) {
        Matcher matcher = PATH.matcher(path == null ? "" : path);
        return matcher.matches() ? conversationId(matcher, pathParameters) : null;
    }

    private static String conversationId(Matcher matcher, Map<String, String> pathParameters) {
        return pathParameters != null && pathParameters.get("conversationId") != null
                ? pathParameters.get("conversationId")
                : matcher.group(1) == null ? null : URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
    }

    /** A {@code limit} query parameter between 1 and max, or the default when absent. */
    public static int limit(Map<String, String> query, int fallback, int max) {
        String text = query == null ? null : query.get("limit");
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int limit = Integer.parseInt(text.trim());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the same answer as an out-of-range number
        }
        throw new BadRequestException("limit must be a whole number from 1 to " + max);
    }

    /** An optional cursor-like query parameter; blank counts as absent. */
    public static String cursor(Map<String, String> query, String name) {
        String text = query == null ? null : query.get(name);
        return text == null || text.isBlank() ? null : text.trim();
    }
}
