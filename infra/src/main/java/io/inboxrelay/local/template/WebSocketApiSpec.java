package io.inboxrelay.local.template;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The WebSocket API: an {@code AWS::ApiGatewayV2::Api} with ProtocolType WEBSOCKET, its routes,
 * their integrations and its authorizer.
 *
 * @param logicalId                its logical id (also the local apiId)
 * @param routeSelectionExpression e.g. {@code $request.body.type}
 * @param routes                   route key → route
 */
public record WebSocketApiSpec(String logicalId, String routeSelectionExpression, Map<String, Route> routes) {

    /**
     * @param routeKey   {@code $connect}, {@code $disconnect}, {@code $default} or a custom key
     * @param functionId the function its Lambda proxy integration invokes
     * @param authorizer the REQUEST authorizer ($connect only), or null
     * @param twoWay     whether the integration's response is sent back to the client (a RouteResponse
     *                   or RouteResponseSelectionExpression exists), as API Gateway does
     */
    public record Route(String routeKey, String functionId, Authorizer authorizer, boolean twoWay) {
    }

    /**
     * @param logicalId       its logical id
     * @param functionId      the function its AuthorizerUri points at
     * @param identitySources e.g. {@code route.request.querystring.token}, {@code route.request.header.Sec-WebSocket-Protocol}
     */
    public record Authorizer(String logicalId, String functionId, List<String> identitySources) {
    }

    public Optional<Route> route(String routeKey) {
        return Optional.ofNullable(routes.get(routeKey));
    }
}
