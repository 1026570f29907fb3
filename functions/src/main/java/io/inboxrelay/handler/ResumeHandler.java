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
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code resume}: one bounded page of the events after the client's cursor, then one terminal
 * message ({@code resumed} with {@code complete}/{@code next}, {@code resync_required}, or a
 * {@code rate_limited} error) — see {@link Replay}. Everything goes through PostToConnection, the
 * terminal message included, so it cannot overtake the events it counts; the route itself answers
 * with no body.
 */
public class ResumeHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(ResumeHandler.class);

    private final ConnectionStore connections;
    private final Replay replay;
    private final Function<String, ApiGatewayManagementApiClient> management;
    private final String configuredEndpoint;
    private final int callsPerMinute;
    private final ExpiredTokens expiredTokens;

    public ResumeHandler() {
        this(Clients.dynamo(), ManagementClients::forEndpoint, Config.fromEnv());
    }

    /** @param management the management client for an endpoint (configured, or the request's own) */
    public ResumeHandler(DynamoDbClient dynamo, Function<String, ApiGatewayManagementApiClient> management, Config config) {
        Clock clock = Clock.systemUTC();
        this.connections = new ConnectionStore(dynamo, config.connectionsTable(), config.connectionTtl(), clock);
        this.replay = new Replay(new EventLog(dynamo, config.eventsTable()), config, clock);
        this.management = management;
        this.configuredEndpoint = config.managementEndpoint();
        this.callsPerMinute = config.resumeCallsPerMinute();
        this.expiredTokens = new ExpiredTokens(management, configuredEndpoint, clock);
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        Metrics metrics = new Metrics("WsResume");
        PushCounters counters = new PushCounters();
        try {
            WebSocketRequest request = new WebSocketRequest(event);
            // The resume route has no route response (its answers are posted, in order after the
            // events), so errors are posted too: a returned body would never reach the browser in AWS.
            ConnectionSender sender = new ManagementApiSender(
                    management.apply(request.managementEndpoint(configuredEndpoint)), Backoff.DEFAULT, counters);
            if (expiredTokens.closeIfExpired(request, sender)) {
                return WebSocketRequest.answer(200, null);
            }
            ClientMessage message = ClientMessage.parse(request.body());
            if (!(message instanceof ClientMessage.Resume resume)) {
                return posted(sender, request, RouteErrors.unexpected(message));
            }
            if (request.tenantId() == null) {
                return posted(sender, request, RouteErrors.notConnected());
            }
            ConnectionStore.ResumeGrant grant = connections.claimResume(request.tenantId(), request.connectionId(), callsPerMinute);
            if (grant instanceof ConnectionStore.ResumeGrant.NotConnected) {
                return posted(sender, request, RouteErrors.notConnected());
            }
            if (grant instanceof ConnectionStore.ResumeGrant.Limited limited) {
                metrics.count("ResumesLimited", 1);
                sender.send(request.connectionId(), ServerMessages.rateLimited(
                        "at most " + callsPerMinute + " resume calls a minute per connection", limited.retryAfterMillis()));
                return WebSocketRequest.answer(200, null);
            }
            Connection connection = ((ConnectionStore.ResumeGrant.Granted) grant).connection();
            Replay.Result result = replay.page(connection, resume.cursor(), resume.strict(), sender);
            metrics.count("EventsResumed", result.sent());
            if (result.failure() == Delivery.GONE) {
                connections.delete(request.tenantId(), request.connectionId());
            }
            if (result.failure() != null) {
                LOG.warn("resume interrupted tenantId={} connectionId={} sent={} outcome={}",
                        request.tenantId(), request.connectionId(), result.sent(), result.failure());
            } else {
                LOG.info("resumed tenantId={} connectionId={} count={} end={}",
                        request.tenantId(), request.connectionId(), result.sent(), result.terminal());
            }
            return WebSocketRequest.answer(200, null);
        } finally {
            counters.copyTo(metrics);
            metrics.flush();
        }
    }

    private static APIGatewayV2WebSocketResponse posted(ConnectionSender sender, WebSocketRequest request,
                                                        APIGatewayV2WebSocketResponse answer) {
        sender.send(request.connectionId(), answer.getBody());
        return WebSocketRequest.answer(200, null);
    }
}
