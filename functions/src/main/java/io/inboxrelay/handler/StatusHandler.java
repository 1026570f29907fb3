package io.inboxrelay.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.inboxrelay.config.Clients;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.realtime.Connection;
import io.inboxrelay.core.realtime.ServerMessages;
import io.inboxrelay.core.realtime.SessionStatus;
import io.inboxrelay.core.realtime.TenantDiagnosis;
import io.inboxrelay.store.ConnectionStore;
import io.inboxrelay.store.SessionStatusReader;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import io.inboxrelay.push.ManagementClients;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code status}: what a user who receives nothing needs to see — which tenant the socket is bound
 * to, its channels, the tenant's gateway sessions with their state and last webhook, how many
 * sockets the tenant has open, and a verdict in words.
 */
public class StatusHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    private final ConnectionStore connections;
    private final SessionStatusReader sessions;
    private final Clock clock;
    private final ExpiredTokens expiredTokens;

    public StatusHandler() {
        this(Clients.dynamo(), ManagementClients::forEndpoint, Config.fromEnv(), Clock.systemUTC());
    }

    public StatusHandler(DynamoDbClient dynamo, Config config) {
        this(dynamo, ManagementClients::forEndpoint, config, Clock.systemUTC());
    }

    /** @param management the management client for an endpoint, built only when a socket must be closed */
    public StatusHandler(DynamoDbClient dynamo, Function<String, ApiGatewayManagementApiClient> management, Config config, Clock clock) {
        this.connections = new ConnectionStore(dynamo, config.connectionsTable(), config.connectionTtl(), clock);
        this.sessions = new SessionStatusReader(dynamo, config.sessionsTable());
        this.clock = clock;
        this.expiredTokens = new ExpiredTokens(management, config.managementEndpoint(), clock);
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        WebSocketRequest request = new WebSocketRequest(event);
        if (expiredTokens.closeIfExpired(request)) {
            return WebSocketRequest.answer(200, null);
        }
        Optional<Connection> connection = request.tenantId() == null ? Optional.empty()
                : connections.find(request.tenantId(), request.connectionId());
        if (connection.isEmpty()) {
            return RouteErrors.notConnected();
        }
        List<SessionStatus> tenantSessions = sessions.forTenant(request.tenantId());
        // The asking socket is one of them, whatever a lagging read says.
        int open = Math.max(1, connections.forTenant(request.tenantId()).size());
        TenantDiagnosis.Verdict verdict = TenantDiagnosis.of(tenantSessions, open, clock.instant());
        return WebSocketRequest.answer(200, ServerMessages.status(connection.get(), tenantSessions, open, verdict));
    }
}
