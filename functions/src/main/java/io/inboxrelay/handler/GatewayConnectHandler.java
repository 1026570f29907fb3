package io.inboxrelay.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.admin.GatewayConnect;
import io.inboxrelay.config.Clients;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.outbound.GatewayClients;
import io.inboxrelay.core.outbound.GatewayException;
import io.inboxrelay.core.outbound.GatewayHttp;
import io.inboxrelay.core.outbound.MediaLimits;
import io.inboxrelay.secrets.SecretsCiphers;
import io.inboxrelay.store.ConnectionStore;
import io.inboxrelay.store.DynamoSessionRegistry;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code POST /admin/sessions/{id}/connect} and {@code /test} (IAM-authorised): apart from the admin function because
 * it opens the session's webhook secret and gateway credential, which the admin role may not.
 */
public class GatewayConnectHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayConnectHandler.class);

    private final GatewayConnect connect;

    public GatewayConnectHandler() {
        this(Clients.dynamo(), Config.fromEnv(), GatewayHttp.createDefault(), Clock.systemUTC());
    }

    public GatewayConnectHandler(DynamoDbClient dynamo, Config config, GatewayHttp gatewayHttp, Clock clock) {
        this.connect = new GatewayConnect(
                new DynamoSessionRegistry(dynamo, config.sessionsTable(), SecretsCiphers.fromEnv(), true),
                new ConnectionStore(dynamo, config.connectionsTable(), Duration.ZERO, clock),
                new GatewayClients(gatewayHttp, MediaLimits.MAX_PROXY_BYTES),
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).followRedirects(HttpClient.Redirect.NEVER).build(),
                clock);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String route = event.getRouteKey() == null ? "" : event.getRouteKey();
        String sessionId = HttpEvents.pathParameter(event, "sessionId");
        String url = null;
        try {
            url = publicBase(event);
            GatewayConnect.Outcome outcome = switch (route) {
                case "POST /admin/sessions/{sessionId}/connect" -> connect.connect(sessionId, url);
                case "POST /admin/sessions/{sessionId}/test" -> connect.test(sessionId, url);
                default -> null;
            };
            if (outcome == null) {
                return error(404, "unknown_route", "no admin route " + route);
            }
            LOG.info("gateway connect route={} session={} ok={}", route, sessionId, outcome.ok());
            return json(outcome.ok() ? 200 : 502, outcome.toJson());
        } catch (GatewayException e) {
            // The failure's reason is the gateway's own words, scrubbed of the credentials by the client.
            LOG.warn("gateway refused the registration session={} kind={} status={}", sessionId, e.failure().kind(),
                    e.failure().httpStatus());
            return json(502, Json.object().put("webhook_url", url).put("ok", false).put("error", "gateway_refused")
                    .put("message", e.failure().reason()));
        } catch (IllegalArgumentException e) {
            int status = e.getMessage() != null && e.getMessage().startsWith("no session") ? 404 : 400;
            return error(status, status == 404 ? "unknown_session" : "bad_request", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("gateway connect failed route={} session={}", route, sessionId, e);
            return error(503, "unavailable", "the session registry could not be reached; retry later");
        }
    }

    private static String publicBase(APIGatewayV2HTTPEvent event) {
        byte[] raw = HttpEvents.body(event);
        JsonNode body = raw.length == 0 ? null : Json.parse(new String(raw, StandardCharsets.UTF_8));
        if (body == null || !body.isObject() || !body.path("url").isTextual()) {
            throw new IllegalArgumentException("body must be {\"url\": the public webhook base URL}");
        }
        return body.path("url").asText();
    }

    private static APIGatewayV2HTTPResponse json(int status, JsonNode body) {
        return HttpEvents.response(status, "application/json", Json.write(body));
    }

    private static APIGatewayV2HTTPResponse error(int status, String code, String message) {
        ObjectNode body = Json.object().put("error", code).put("message", message);
        return json(status, body);
    }
}
