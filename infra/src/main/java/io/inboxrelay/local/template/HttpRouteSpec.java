package io.inboxrelay.local.template;

/**
 * One route of the HTTP API: an {@code HttpApi} event of a function.
 *
 * @param method     upper case, or {@code ANY}
 * @param path       the route path with {@code {param}} and {@code {proxy+}} segments, or {@code $default}
 * @param functionId the function it invokes
 */
public record HttpRouteSpec(String method, String path, String functionId) {

    /** The routeKey API Gateway puts in the event: {@code "POST /webhooks/{sessionId}"} or {@code "$default"}. */
    public String routeKey() {
        return "$default".equals(path) ? "$default" : method + " " + path;
    }
}
