package io.inboxrelay.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.inboxrelay.config.Clients;
import io.inboxrelay.config.Config;
import io.inboxrelay.config.SendConfig;
import io.inboxrelay.core.auth.AuthException;
import io.inboxrelay.core.auth.HmacSecrets;
import io.inboxrelay.core.auth.Identity;
import io.inboxrelay.core.auth.TokenVerifier;
import io.inboxrelay.outbound.SendRequest;
import io.inboxrelay.outbound.SendService;
import io.inboxrelay.outbound.SqsOutbox;
import io.inboxrelay.readapi.BadRequestException;
import io.inboxrelay.readapi.HttpResponses;
import io.inboxrelay.readapi.ReadApiRequest;
import io.inboxrelay.secrets.SecretsCipher;
import io.inboxrelay.store.DynamoInboxStore;
import io.inboxrelay.store.DynamoSessionRegistry;
import io.inboxrelay.store.OutboundStore;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code POST /api/conversations/{conversationId}/messages}: an agent's reply, stored pending and queued for sending
 * (202). The tenant comes from the bearer token, as for the read API.
 */
public class SendHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(SendHandler.class);

    /** This function reads sessions but never opens their secrets, and its role may not decrypt them. */
    private static final SecretsCipher NEVER_OPENS = new SecretsCipher() {
        @Override
        public byte[] seal(byte[] plaintext, Map<String, String> context) {
            throw new UnsupportedOperationException("the send function never seals secrets");
        }

        @Override
        public byte[] open(byte[] envelope, Map<String, String> context) {
            throw new UnsupportedOperationException("the send function never opens secrets");
        }
    };

    private final SendService service;
    private final TokenVerifier verifier;

    public SendHandler() {
        this(Clients.dynamo(), Config.fromEnv(), SendConfig.fromEnv(), Clock.systemUTC());
    }

    private SendHandler(DynamoDbClient dynamo, Config config, SendConfig send, Clock clock) {
        this(new SendService(new OutboundStore(dynamo, config, clock), new DynamoInboxStore(dynamo, config, clock),
                new DynamoSessionRegistry(dynamo, config.sessionsTable(), NEVER_OPENS, false),
                new SqsOutbox(Clients.sqs(), send.outboxQueueUrl()), clock), TokenVerifiers.from(config));
    }

    public SendHandler(SendService service, TokenVerifier verifier) {
        this.service = service;
        this.verifier = verifier;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if ("OPTIONS".equalsIgnoreCase(HttpEvents.method(event))) {
            return HttpResponses.preflight();
        }
        try {
            Identity identity = BearerTokens.verify(verifier, event.getHeaders());
            String conversationId = ReadApiRequest.conversationId(event.getRawPath(), event.getPathParameters());
            SendRequest request = SendRequest.parse(HttpEvents.body(event));
            SendService.Answer answer = service.send(identity.tenantId(), conversationId, request);
            return HttpResponses.json(answer.status(), answer.body());
        } catch (AuthException e) {
            return HttpResponses.error(401, "unauthorized", e.getMessage());
        } catch (BadRequestException e) {
            return HttpResponses.error(400, "invalid_request", e.getMessage());
        } catch (HmacSecrets.KeysUnavailableException e) {
            LOG.error("token keys unavailable error={}", e.getMessage());
            return HttpResponses.error(503, "unavailable", "token keys unavailable; retry shortly");
        }
    }
}
