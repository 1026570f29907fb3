package io.inboxrelay.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.inboxrelay.config.Clients;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.auth.AuthException;
import io.inboxrelay.core.auth.HmacSecrets;
import io.inboxrelay.core.auth.TokenVerifier;
import io.inboxrelay.core.outbound.GatewayClients;
import io.inboxrelay.core.outbound.GatewayHttp;
import io.inboxrelay.core.outbound.MediaLimits;
import io.inboxrelay.core.outbound.RetryPolicy;
import io.inboxrelay.media.MediaHeaders;
import io.inboxrelay.media.MediaOutcome;
import io.inboxrelay.media.MediaProxy;
import io.inboxrelay.readapi.HttpResponses;
import io.inboxrelay.secrets.SecretsCiphers;
import io.inboxrelay.store.DynamoSessionRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code GET /api/messages/{messageId}/media}: a message's media through the session's gateway, for the bearer token's
 * tenant only. Apart from the read API because it opens gateway credentials, which the read API may not.
 */
public class MediaHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(MediaHandler.class);

    private final MediaProxy proxy;
    private final TokenVerifier verifier;

    /**
     * Two attempts of at most 6 s (to the answer's headers) per gateway call, at most 13 s a call: Meta's two calls (the
     * media's URL, then its bytes) end within the function's 28 s with a 504 of its own, where the default 25 s per call
     * could let Lambda cut the answer off.
     */
    static final RetryPolicy MEDIA_RETRIES = new RetryPolicy(2, Duration.ofMillis(250), Duration.ofSeconds(1),
            Duration.ofSeconds(1), Duration.ofSeconds(8));

    public MediaHandler() {
        this(Clients.dynamo(), Config.fromEnv(), GatewayHttp.create(GatewayHttp.DEFAULT_CONNECT_TIMEOUT, Duration.ofSeconds(6),
                MEDIA_RETRIES));
    }

    private MediaHandler(DynamoDbClient dynamo, Config config, GatewayHttp gatewayHttp) {
        this(new MediaProxy(dynamo, config.messagesTable(),
                new DynamoSessionRegistry(dynamo, config.sessionsTable(), SecretsCiphers.fromEnv(), true)::gatewayConnection,
                new GatewayClients(gatewayHttp, MediaLimits.MAX_PROXY_BYTES), MediaLimits.MAX_PROXY_BYTES),
                TokenVerifiers.from(config));
    }

    public MediaHandler(MediaProxy proxy, TokenVerifier verifier) {
        this.proxy = proxy;
        this.verifier = verifier;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        try {
            String tenantId = BearerTokens.authenticate(verifier, event.getHeaders()).tenantId();
            MediaOutcome outcome = proxy.fetch(tenantId, HttpEvents.pathParameter(event, "messageId"));
            if (outcome instanceof MediaOutcome.Served served) {
                return HttpResponses.binary(200, MediaHeaders.of(served.contentType(), served.disposition()), served.data());
            }
            MediaOutcome.Refused refused = (MediaOutcome.Refused) outcome;
            return HttpResponses.error(refused.status(), refused.code(), refused.message());
        } catch (AuthException e) {
            return HttpResponses.error(401, "unauthorized", e.getMessage());
        } catch (HmacSecrets.KeysUnavailableException e) {
            LOG.error("token keys unavailable error={}", e.getMessage());
            return HttpResponses.error(503, "unavailable", "token keys unavailable; retry shortly");
        } catch (SdkException e) {
            // DynamoDB or KMS out of reach: the caller's request is fine, a retry may succeed.
            LOG.error("media store unavailable errorType={}", e.getClass().getSimpleName());
            return HttpResponses.error(503, "unavailable", "the message store could not be reached; retry shortly");
        }
    }
}
