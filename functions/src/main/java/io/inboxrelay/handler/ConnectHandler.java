package io.inboxrelay.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.inboxrelay.config.Clients;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.auth.TokenTransport;
import io.inboxrelay.core.realtime.Channels;
import io.inboxrelay.core.realtime.Connection;
import io.inboxrelay.observability.Metrics;
import io.inboxrelay.store.ConnectionStore;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code $connect}, after the authorizer: remembers the socket under its tenant, subscribed to every
 * channel, with its token's {@code exp}. Answers the {@code inbox-relay} subprotocol when offered,
 * never a token.
 */
public class ConnectHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectHandler.class);

    private final ConnectionStore connections;
    private final Clock clock;

    public ConnectHandler() {
        this(Clients.dynamo(), Config.fromEnv(), Clock.systemUTC());
    }

    public ConnectHandler(DynamoDbClient dynamo, Config config, Clock clock) {
        this.connections = new ConnectionStore(dynamo, config.connectionsTable(), config.connectionTtl(), clock);
        this.clock = clock;
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        Metrics metrics = new Metrics("WsConnect");
        try {
            WebSocketRequest request = new WebSocketRequest(event);
            if (request.tenantId() == null || request.connectionId() == null) {
                // Only reachable when the route is deployed without the authorizer.
                LOG.warn("connect without authorizer context refused");
                return WebSocketRequest.answer(403, null);
            }
            // The token's exp is kept with the connection: the fan-out closes the socket once it passes.
            connections.save(new Connection(request.tenantId(), request.connectionId(), request.userId(), Channels.all(),
                    clock.millis(), request.tokenExpiresAt()));
            metrics.count("Connected");
            LOG.info("connected tenantId={} connectionId={}", request.tenantId(), request.connectionId());
            APIGatewayV2WebSocketResponse response = WebSocketRequest.answer(200, null);
            String protocol = TokenTransport.answer(request.header(TokenTransport.HEADER));
            if (protocol != null) {
                response.setHeaders(Map.of(TokenTransport.HEADER, protocol));
            }
            return response;
        } finally {
            metrics.flush();
        }
    }
}
