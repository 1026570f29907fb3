package io.inboxrelay.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.admin.SessionAdmin;
import io.inboxrelay.admin.SessionAdmin.Created;
import io.inboxrelay.admin.SessionAdmin.NewSession;
import io.inboxrelay.admin.SessionJson;
import io.inboxrelay.config.Clients;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.Json;
import io.inboxrelay.secrets.SecretsCiphers;
import io.inboxrelay.store.DynamoSessionRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The session registry's admin routes under {@code /admin/sessions} (IAM-authorised in AWS):
 * list, create, show, rotate, gateway credentials, disable, enable.
 */
public class AdminHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

    private final SessionAdmin admin;

    public AdminHandler() {
        this(Clients.dynamo(), Config.fromEnv(), Clock.systemUTC());
    }

    public AdminHandler(DynamoDbClient dynamo, Config config, Clock clock) {
        // Secrets are sealed here and never opened: this role may generate data keys, not decrypt.
        this.admin = new SessionAdmin(new DynamoSessionRegistry(dynamo, config.sessionsTable(), SecretsCiphers.fromEnv(), false), clock);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String route = event.getRouteKey() == null ? "" : event.getRouteKey();
        String sessionId = HttpEvents.pathParameter(event, "sessionId");
        try {
            return switch (route) {
                case "GET /admin/sessions" -> list(event);
                case "POST /admin/sessions" -> create(event);
                case "GET /admin/sessions/{sessionId}" -> json(200, SessionJson.of(admin.get(sessionId)));
                case "POST /admin/sessions/{sessionId}/rotate" -> created(200, admin.rotate(sessionId, bodyField(event, "secret"),
                        "true".equals(bodyField(event, "revoke_previous"))));
                case "PUT /admin/sessions/{sessionId}/gateway" -> gateway(sessionId, event);
                case "POST /admin/sessions/{sessionId}/disable" -> json(200, SessionJson.of(admin.setEnabled(sessionId, false)));
                case "POST /admin/sessions/{sessionId}/enable" -> json(200, SessionJson.of(admin.setEnabled(sessionId, true)));
                default -> error(404, "unknown_route", "no admin route " + route);
            };
        } catch (IllegalArgumentException e) {
            int status = e.getMessage() != null && e.getMessage().startsWith("no session") ? 404 : 400;
            return error(status, status == 404 ? "unknown_session" : "bad_request", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("admin request failed route={}", route, e);
            return error(503, "unavailable", "the session registry could not be reached; retry later");
        }
    }

    private APIGatewayV2HTTPResponse list(APIGatewayV2HTTPEvent event) {
        Map<String, String> query = event.getQueryStringParameters();
        String tenant = query == null ? null : query.get("tenant_id");
        ArrayNode sessions = Json.MAPPER.createArrayNode();
        admin.list(tenant).forEach(session -> sessions.add(SessionJson.of(session)));
        ObjectNode body = Json.object();
        body.set("sessions", sessions);
        return json(200, body);
    }

    private APIGatewayV2HTTPResponse create(APIGatewayV2HTTPEvent event) {
        JsonNode body = parse(event);
        List<String> cidrs = new ArrayList<>();
        body.path("allowed_cidrs").forEach(cidr -> cidrs.add(cidr.asText()));
        NewSession request = new NewSession(
                text(body, "tenant_id"), text(body, "session_id"), text(body, "provider"), text(body, "signature"),
                text(body, "secret"), text(body, "verify_token"), cidrs, text(body, "meta_app_id"));
        if (request.tenantId() == null || request.provider() == null) {
            throw new IllegalArgumentException("tenant_id and provider are required");
        }
        return created(201, admin.create(request));
    }

    /** The gateway's base URL and key (or Meta's token): sealed, and answered as {@code gateway: {base_url, has_credential}}. */
    private APIGatewayV2HTTPResponse gateway(String sessionId, APIGatewayV2HTTPEvent event) {
        JsonNode body = parse(event);
        String key = text(body, "api_key");
        String token = text(body, "access_token");
        if (key != null && token != null) {
            throw new IllegalArgumentException("give api_key or access_token, not both");
        }
        return json(200, SessionJson.of(admin.setGateway(sessionId, text(body, "base_url"), key != null ? key : token,
                text(body, "gateway_session"), text(body, "api_version"))));
    }

    private static APIGatewayV2HTTPResponse created(int status, Created created) {
        ObjectNode body = SessionJson.of(created.session());
        body.put("secret", created.secret());
        body.put("secret_note", "shown once: store it in the gateway's webhook settings now");
        return json(status, body);
    }

    private static String bodyField(APIGatewayV2HTTPEvent event, String field) {
        if (HttpEvents.body(event).length == 0) {
            return null;
        }
        return text(parse(event), field);
    }

    private static JsonNode parse(APIGatewayV2HTTPEvent event) {
        JsonNode body = Json.parse(new String(HttpEvents.body(event), StandardCharsets.UTF_8));
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object");
        }
        return body;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static APIGatewayV2HTTPResponse json(int status, JsonNode body) {
        return HttpEvents.response(status, "application/json", Json.write(body));
    }

    private static APIGatewayV2HTTPResponse error(int status, String code, String message) {
        return json(status, Json.object().put("error", code).put("message", message));
    }
}
