package io.inboxrelay.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.inboxrelay.config.Clients;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.event.Channel;
import io.inboxrelay.core.realtime.Channels;
import io.inboxrelay.core.realtime.ClientMessage;
import io.inboxrelay.core.realtime.ServerMessages;
import io.inboxrelay.store.ConnectionStore;
import java.time.Clock;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code subscribe}: replaces the connection's channels (none named means all). */
public class SubscribeHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(SubscribeHandler.class);

    private final ConnectionStore connections;

    public SubscribeHandler() {
        this(Clients.dynamo(), Config.fromEnv());
    }

    public SubscribeHandler(DynamoDbClient dynamo, Config config) {
        this.connections = new ConnectionStore(dynamo, config.connectionsTable(), config.connectionTtl(), Clock.systemUTC());
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        WebSocketRequest request = new WebSocketRequest(event);
        ClientMessage message = ClientMessage.parse(request.body());
        if (!(message instanceof ClientMessage.Subscribe subscribe)) {
            return RouteErrors.unexpected(message);
        }
        Set<Channel> channels;
        try {
            channels = subscribe.channels() == null ? Channels.all() : Channels.parseAll(subscribe.channels());
        } catch (IllegalArgumentException unknown) {
            return WebSocketRequest.answer(200, ServerMessages.error(ServerMessages.UNKNOWN_CHANNEL, unknown.getMessage()));
        }
        if (channels.isEmpty()) {
            return WebSocketRequest.answer(200, ServerMessages.error(ServerMessages.UNKNOWN_CHANNEL,
                    "subscribe to at least one of: messages, statuses, sessions"));
        }
        if (request.tenantId() == null || !connections.updateChannels(request.tenantId(), request.connectionId(), channels)) {
            return RouteErrors.notConnected();
        }
        LOG.info("subscribed tenantId={} connectionId={} channels={}", request.tenantId(), request.connectionId(), Channels.wireNames(channels));
        return WebSocketRequest.answer(200, ServerMessages.subscribed(channels));
    }
}
