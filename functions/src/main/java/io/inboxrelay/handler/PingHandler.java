package io.inboxrelay.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.realtime.ServerMessages;
import io.inboxrelay.push.ManagementClients;
import java.time.Clock;
import java.util.function.Function;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;

/**
 * {@code ping} → {@code pong}: keeps the socket inside API Gateway's 10-minute idle limit. A socket
 * whose token has expired gets {@code token_expired} and is closed instead; browsers ping every
 * 30 s, so no socket lives much past its token.
 */
public class PingHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    private final ExpiredTokens expiredTokens;

    public PingHandler() {
        this(ManagementClients::forEndpoint, Config.fromEnv(), Clock.systemUTC());
    }

    /** @param management the management client for an endpoint, built only when a socket must be closed */
    public PingHandler(Function<String, ApiGatewayManagementApiClient> management, Config config, Clock clock) {
        this.expiredTokens = new ExpiredTokens(management, config.managementEndpoint(), clock);
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        if (expiredTokens.closeIfExpired(new WebSocketRequest(event))) {
            return WebSocketRequest.answer(200, null);
        }
        return WebSocketRequest.answer(200, ServerMessages.pong());
    }
}
