package io.inboxrelay.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.auth.AuthException;
import io.inboxrelay.core.auth.Identity;
import io.inboxrelay.core.auth.TokenTransport;
import io.inboxrelay.core.auth.TokenVerifier;
import io.inboxrelay.observability.Metrics;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REQUEST authorizer of the WebSocket API's {@code $connect}. A missing or invalid token is
 * answered 401 (the {@code Unauthorized} error API Gateway maps to it); a valid token for another
 * tenant than the {@code tenant_id} asked for is answered with a Deny policy (403). The Allow
 * policy's context carries tenant and user to every later route of the connection.
 */
public class WsAuthorizerHandler implements RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> {

    private static final Logger LOG = LoggerFactory.getLogger(WsAuthorizerHandler.class);

    private final TokenVerifier verifier;

    public WsAuthorizerHandler() {
        this(verifierFrom(Config.fromEnv()));
    }

    public WsAuthorizerHandler(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    static TokenVerifier verifierFrom(Config config) {
        return TokenVerifiers.from(config);
    }

    @Override
    public IamPolicyResponseV1 handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
        Metrics metrics = new Metrics("WsAuthorizer");
        try {
            Map<String, String> query = event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
            Identity identity;
            try {
                identity = verifier.verify(TokenTransport.token(query, header(event.getHeaders(), TokenTransport.HEADER)));
            } catch (AuthException refused) {
                metrics.count("AuthRefused");
                LOG.info("connection refused reason=\"{}\"", refused.getMessage());
                throw new Unauthorized();
            }
            String asked = query.get("tenant_id");
            if (asked != null && !asked.equals(identity.tenantId())) {
                metrics.count("AuthForbidden");
                LOG.info("connection refused reason=\"tenant_id differs from token\" tenantId={}", identity.tenantId());
                return policy(IamPolicyResponseV1.DENY, event.getMethodArn(), identity);
            }
            metrics.count("AuthAllowed");
            return policy(IamPolicyResponseV1.ALLOW, event.getMethodArn(), identity);
        } finally {
            metrics.flush();
        }
    }

    private static IamPolicyResponseV1 policy(String effect, String methodArn, Identity identity) {
        IamPolicyResponseV1.Statement statement = new IamPolicyResponseV1.Statement(
                IamPolicyResponseV1.EXECUTE_API_INVOKE, effect, List.of(methodArn), null);
        IamPolicyResponseV1 response = new IamPolicyResponseV1();
        response.setPrincipalId(identity.userId() != null ? identity.userId() : identity.tenantId());
        response.setPolicyDocument(new IamPolicyResponseV1.PolicyDocument(IamPolicyResponseV1.VERSION_2012_10_17, List.of(statement)));
        // Context values must be primitives and never null. exp travels as text: API Gateway hands
        // context values to the routes as strings.
        response.setContext(Map.of(WebSocketRequest.TENANT_ID, identity.tenantId(),
                WebSocketRequest.USER_ID, identity.userId() == null ? "" : identity.userId(),
                WebSocketRequest.TOKEN_EXPIRES_AT, Long.toString(identity.expiresAt())));
        return response;
    }

    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** API Gateway answers 401 when an authorizer fails with exactly this message. */
    public static final class Unauthorized extends RuntimeException {
        public Unauthorized() {
            super("Unauthorized", null, false, false);
        }
    }
}
