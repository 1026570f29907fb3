package io.inboxrelay.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.inboxrelay.config.Clients;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.realtime.ClientMessage;
import io.inboxrelay.core.realtime.Connection;
import io.inboxrelay.core.realtime.ServerMessages;
import io.inboxrelay.observability.Metrics;
import io.inboxrelay.push.Backoff;
import io.inboxrelay.push.ConnectionSender;
import io.inboxrelay.push.Delivery;
import io.inboxrelay.push.ManagementApiSender;
import io.inboxrelay.push.ManagementClients;
import io.inboxrelay.push.PushCounters;
import io.inboxrelay.push.Replay;
import io.inboxrelay.store.ConnectionStore;
import io.inboxrelay.store.EventLog;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code resume}: posts every event after the client's cursor (with the overlap window), oldest
 * first, then {@code resumed} with the count. Everything goes through PostToConnection, the
 * {@code resumed} marker included, so it cannot overtake the events it counts; the route itself
 * answers with no body.
 */
public class ResumeHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(ResumeHandler.class);

    private final ConnectionStore connections;
    private final Replay replay;
    private final Function<String, ApiGatewayManagementApiClient> management;
    private final String configuredEndpoint;

    public ResumeHandler() {
        this(Clients.dynamo(), ManagementClients::forEndpoint, Config.fromEnv());
    }

    /** @param management the management client for an endpoint (configured, or the request's own) */
    public ResumeHandler(DynamoDbClient dynamo, Function<String, ApiGatewayManagementApiClient> management, Config config) {
        this.connections = new ConnectionStore(dynamo, config.connectionsTable(), config.connectionTtl(), Clock.systemUTC());
        this.replay = new Replay(new EventLog(dynamo, config.eventsTable()), config.resumeOverlap());
        this.management = management;
        this.configuredEndpoint = config.managementEndpoint();
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        Metrics metrics = new Metrics("WsResume");
        PushCounters counters = new PushCounters();
        try {
            WebSocketRequest request = new WebSocketRequest(event);
            ClientMessage message = ClientMessage.parse(request.body());
            if (!(message instanceof ClientMessage.Resume resume)) {
                return RouteErrors.unexpected(message);
            }
            Optional<Connection> connection = request.tenantId() == null ? Optional.empty()
                    : connections.find(request.tenantId(), request.connectionId());
            if (connection.isEmpty()) {
                return RouteErrors.notConnected();
            }
            ConnectionSender sender = new ManagementApiSender(
                    management.apply(request.managementEndpoint(configuredEndpoint)), Backoff.DEFAULT, counters);
            try {
                int count = replay.replay(connection.get(), resume.since(), sender);
                sender.send(request.connectionId(), ServerMessages.resumed(count));
                metrics.count("EventsResumed", count);
                LOG.info("resumed tenantId={} connectionId={} count={}", request.tenantId(), request.connectionId(), count);
            } catch (Replay.ReplayInterrupted interrupted) {
                if (interrupted.outcome() == Delivery.GONE) {
                    connections.delete(request.tenantId(), request.connectionId());
                }
                LOG.warn("resume interrupted tenantId={} connectionId={} outcome={}", request.tenantId(), request.connectionId(), interrupted.outcome());
                return WebSocketRequest.answer(500, null);
            }
            return WebSocketRequest.answer(200, null);
        } finally {
            counters.copyTo(metrics);
            metrics.flush();
        }
    }
}
