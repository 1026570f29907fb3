package io.inboxrelay.push;

import io.inboxrelay.config.Clients;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;

/** One management client per endpoint per container (an endpoint may come from the request when not configured). */
public final class ManagementClients {

    private static final Map<String, ApiGatewayManagementApiClient> CLIENTS = new ConcurrentHashMap<>();

    private ManagementClients() {
    }

    public static ApiGatewayManagementApiClient forEndpoint(String endpoint) {
        return CLIENTS.computeIfAbsent(endpoint, Clients::management);
    }
}
