package io.inboxrelay.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.inboxrelay.config.Clients;
import io.inboxrelay.config.Config;
import io.inboxrelay.observability.Metrics;
import io.inboxrelay.store.ConnectionStore;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code $disconnect}: forgets the socket (best-effort in AWS; the item's TTL catches the rest). */
public class DisconnectHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(DisconnectHandler.class);

    private final ConnectionStore connections;

    public DisconnectHandler() {
        this(Clients.dynamo(), Config.fromEnv());
    }

    public DisconnectHandler(DynamoDbClient dynamo, Config config) {
        this.connections = new ConnectionStore(dynamo, config.connectionsTable(), config.connectionTtl(), Clock.systemUTC());
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        Metrics metrics = new Metrics("WsDisconnect");
        try {
            WebSocketRequest request = new WebSocketRequest(event);
            if (request.tenantId() != null && request.connectionId() != null) {
                connections.delete(request.tenantId(), request.connectionId());
                metrics.count("Disconnected");
                LOG.info("disconnected tenantId={} connectionId={}", request.tenantId(), request.connectionId());
            }
            return WebSocketRequest.answer(200, null);
        } finally {
            metrics.flush();
        }
    }
}
