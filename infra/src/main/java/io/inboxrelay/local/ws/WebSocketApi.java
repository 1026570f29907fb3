package io.inboxrelay.local.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.local.ApiIds;
import io.inboxrelay.local.lambda.FunctionError;
import io.inboxrelay.local.lambda.LambdaEvent;
import io.inboxrelay.local.lambda.LocalFunction;
import io.inboxrelay.local.lambda.LocalFunctions;
import io.inboxrelay.local.template.WebSocketApiSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket API as API Gateway runs it: $connect through the REQUEST authorizer and the $connect
 * route (either can refuse the upgrade), route selection on each message, the integration's answer
 * sent back on two-way routes, $disconnect when the socket ends for any reason, and the quotas.
 */
public final class WebSocketApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketApi.class);
    static final String SUBPROTOCOL_HEADER = "Sec-WebSocket-Protocol";

    private final WebSocketApiSpec spec;
    private final LocalFunctions functions;
    private final String stage;
    private final WsLimits limits;
    private final WsEvents events;
    private final Connections connections = new Connections();
    /** Every socket not yet closed, dropped ones still in their close grace included. */
    private final java.util.Set<WsConnection> sockets = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ExecutorService invoker = Executors.newCachedThreadPool(daemon("ws-route"));
    private ManagementApiHandler management;
    private final ScheduledThreadPoolExecutor timers = timers();
    private final SocketWriter writer;

    public WebSocketApi(WebSocketApiSpec spec, LocalFunctions functions, String stage, WsLimits limits) {
        this.spec = spec;
        this.functions = functions;
        this.stage = stage;
        this.limits = limits;
        this.events = new WsEvents(spec.logicalId(), stage);
        this.writer = new SocketWriter(limits, timers, this::drop);
    }

    private static ScheduledThreadPoolExecutor timers() {
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, daemon("ws-timers"));
        // One write-timeout task per message in flight, cancelled once written: do not keep the cancelled ones.
        timers.setRemoveOnCancelPolicy(true);
        return timers;
    }

    /** The Jetty handler: upgrades on {@code /{stage}}, the {@code @connections} endpoint for every other request. */
    public WebSocketUpgradeHandler handler(Server server) {
        WebSocketUpgradeHandler upgrade = WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxTextMessageSize(limits.maxMessageBytes());
            container.setMaxBinaryMessageSize(limits.maxMessageBytes());
            container.setMaxFrameSize(limits.maxFrameBytes());
            container.setIdleTimeout(limits.idleTimeout());
            // Jetty would otherwise split an oversized frame instead of refusing it as API Gateway does
            container.setAutoFragment(false);
            container.addMapping("/" + stage, this::upgrade);
        });
        management = new ManagementApiHandler(connections, stage, limits, writer, this::drop);
        upgrade.setHandler(management);
        return upgrade;
    }

    /**
     * Fault injection for reliability tests: {@code PostToConnection} to a connection for which
     * {@code fault} returns a status (410, 429, 500, ...) is answered with that AWS error instead of
     * being delivered; 0 delivers normally. Null removes the fault.
     */
    public void injectPostFault(java.util.function.ToIntFunction<String> fault) {
        management.injectPostFault(fault);
    }

    int openConnections() {
        return connections.all().size();
    }

    /** Sockets still open, including connections already gone for {@code @connections} whose close is under way. */
    public int openSockets() {
        return sockets.size();
    }

    private Object upgrade(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        long started = System.nanoTime();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getName(), name -> new ArrayList<>()).add(field.getValue());
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        Fields fields = Request.extractQueryParameters(request);
        fields.forEach(field -> query.put(field.getName(), field.getValues()));
        String host = request.getHeaders().get("Host");
        String sourceIp = Request.getRemoteAddr(request);
        String userAgent = Optional.ofNullable(request.getHeaders().get("User-Agent")).orElse("");
        String connectionId = ApiIds.next();

        WsConnection pending = new WsConnection(connectionId, Instant.now(), sourceIp, userAgent, host, headers, null);
        ObjectNode authorizerContext = null;
        Optional<WebSocketApiSpec.Route> connectRoute = spec.route("$connect");
        WebSocketApiSpec.Authorizer authorizer = connectRoute.map(WebSocketApiSpec.Route::authorizer).orElse(null);
        if (authorizer != null) {
            AuthorizerDecision decision = authorize(authorizer, pending, headers, query);
            if (!decision.allowed()) {
                return refuse(response, callback, decision.status(), connectionId, started);
            }
            authorizerContext = decision.context();
        }
        WsConnection connection = new WsConnection(connectionId, pending.connectedAt, sourceIp, userAgent, host, headers, authorizerContext);
        if (connectRoute.isPresent()) {
            Optional<JsonNode> result = invoke(connectRoute.get().functionId(), events.connect(connection, query), connectionId);
            if (result.isEmpty()) {
                return refuse(response, callback, 500, connectionId, started);
            }
            int status = result.get().path("statusCode").asInt(200);
            if (status < 200 || status > 299) {
                return refuse(response, callback, status, connectionId, started);
            }
            String subprotocol = header(result.get().path("headers"), SUBPROTOCOL_HEADER);
            if (subprotocol != null) {
                response.setAcceptedSubProtocol(subprotocol);
            }
        }
        log("$connect", connectionId, 101, started);
        return new WsEndpoint(this, connection);
    }

    private AuthorizerDecision authorize(WebSocketApiSpec.Authorizer authorizer, WsConnection connection,
                                         Map<String, List<String>> headers, Map<String, List<String>> query) {
        for (String source : authorizer.identitySources()) {
            if (!IdentitySources.present(source, headers, query)) {
                return AuthorizerDecision.unauthorized();
            }
        }
        LocalFunction function = functions.get(authorizer.functionId()).orElse(null);
        if (function == null) {
            return AuthorizerDecision.failed();
        }
        long started = System.nanoTime();
        try {
            JsonNode result = function.invoke(LambdaEvent.of(events.authorizer(connection, query)));
            return AuthorizerDecision.from(result, (System.nanoTime() - started) / 1_000_000);
        } catch (FunctionError e) {
            // An authorizer signals 401 by failing with exactly "Unauthorized", as in AWS.
            if ("Unauthorized".equals(e.getMessage())) {
                return AuthorizerDecision.unauthorized();
            }
            LOG.atError().addKeyValue("function", function.name()).addKeyValue("errorType", e.errorType())
                    .setCause(e.getCause()).log("authorizer failed");
            return AuthorizerDecision.failed();
        }
    }

    private Object refuse(ServerUpgradeResponse response, Callback callback, int status, String connectionId, long started) {
        String message = switch (status) {
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 500, 502 -> "Internal server error";
            default -> "Connection refused";
        };
        response.setStatus(status);
        response.getHeaders().put("Content-Type", "application/json");
        response.getHeaders().put("x-amzn-ErrorType", status == 403 ? "ForbiddenException" : status == 401 ? "UnauthorizedException" : "");
        response.write(true, ByteBuffer.wrap(("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8)), callback);
        log("$connect", connectionId, status, started);
        return null;
    }

    // ---------------------------------------------------------------- called by WsEndpoint

    void opened(WsConnection connection) {
        sockets.add(connection);
        connections.add(connection);
        long lifetime = limits.maxDuration().toMillis() - Duration.between(connection.connectedAt, Instant.now()).toMillis();
        timers.schedule(() -> drop(connection, SocketWriter.GOING_AWAY, SocketWriter.GOING_AWAY_REASON),
                Math.max(0, lifetime), TimeUnit.MILLISECONDS);
    }

    void received(WsConnection connection, String body, boolean base64) {
        connection.touch();
        invoker.execute(() -> route(connection, body, base64));
    }

    void closed(WsConnection connection, int statusCode, String reason) {
        sockets.remove(connection);
        connections.remove(connection);
        if (connection.end()) {
            disconnect(connection, statusCode, reason);
        }
    }

    /**
     * Ends a connection from the stack's side (DeleteConnection, a client that stopped reading, the
     * maximum duration): it is gone for {@code @connections} at once and $disconnect runs, as in AWS; the
     * client gets a close frame with the code after what was already queued for it, and a client that
     * does not read it within {@link WsLimits#closeGrace()} has its socket cut.
     */
    void drop(WsConnection connection, int code, String reason) {
        connections.remove(connection);
        if (!connection.end()) {
            return;
        }
        disconnect(connection, code, reason);
        org.eclipse.jetty.websocket.api.Session session = connection.session;
        if (session != null && session.isOpen()) {
            session.close(code, reason, org.eclipse.jetty.websocket.api.Callback.NOOP);
            // Not session.isOpen(): that turns false as soon as the close frame is queued.
            timers.schedule(() -> {
                if (sockets.contains(connection)) {
                    session.disconnect();
                }
            }, limits.closeGrace().toMillis(), TimeUnit.MILLISECONDS);
        }
        LOG.atInfo().addKeyValue("api", "websocket").addKeyValue("connectionId", connection.connectionId)
                .addKeyValue("closeCode", code).log("connection dropped: {}", reason);
    }

    private void disconnect(WsConnection connection, int statusCode, String reason) {
        spec.route("$disconnect").ifPresent(route -> invoker.execute(() -> {
            long started = System.nanoTime();
            Optional<JsonNode> result = invoke(route.functionId(), events.disconnect(connection, statusCode, reason), connection.connectionId);
            log("$disconnect", connection.connectionId, result.isPresent() ? 200 : 500, started);
        }));
    }

    private void route(WsConnection connection, String body, boolean base64) {
        long started = System.nanoTime();
        String routeKey = base64 ? "$default" : RouteSelection.select(spec.routeSelectionExpression(), body, spec.routes().keySet());
        WebSocketApiSpec.Route route = routeKey == null ? null : spec.routes().get(routeKey);
        if (route == null) {
            send(connection, errorFrame("Forbidden", connection));
            log("(none)", connection.connectionId, 403, started);
            return;
        }
        Optional<JsonNode> result = invoke(route.functionId(), events.message(connection, routeKey, body, base64), connection.connectionId);
        if (result.isEmpty()) {
            send(connection, errorFrame("Internal server error", connection));
            log(routeKey, connection.connectionId, 500, started);
            return;
        }
        if (route.twoWay()) {
            JsonNode answer = result.get();
            String reply = answer.isObject() && answer.has("statusCode")
                    ? (answer.path("body").isMissingNode() || answer.path("body").isNull() ? null : answer.path("body").asText())
                    : answer.isNull() ? null : answer.isTextual() ? answer.asText() : Json.write(answer);
            if (reply != null && !reply.isEmpty()) {
                send(connection, reply);
            }
        }
        log(routeKey, connection.connectionId, result.get().path("statusCode").asInt(200), started);
    }

    private static String errorFrame(String message, WsConnection connection) {
        ObjectNode error = Json.object();
        error.put("message", message);
        error.put("connectionId", connection.connectionId);
        error.put("requestId", ApiIds.next());
        return Json.write(error);
    }

    private void send(WsConnection connection, String text) {
        writer.send(connection, text);
    }

    private Optional<JsonNode> invoke(String functionId, ObjectNode event, String connectionId) {
        LocalFunction function = functions.get(functionId).orElse(null);
        if (function == null) {
            LOG.atError().addKeyValue("connectionId", connectionId).log("route has no function in the template");
            return Optional.empty();
        }
        try {
            return Optional.of(function.invoke(LambdaEvent.of(event)));
        } catch (FunctionError e) {
            LOG.atError().addKeyValue("function", function.name()).addKeyValue("connectionId", connectionId)
                    .addKeyValue("errorType", e.errorType()).setCause(e.getCause()).log("function failed: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private static String header(JsonNode headers, String name) {
        for (var it = headers.fields(); it.hasNext(); ) {
            var entry = it.next();
            if (entry.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return entry.getValue().asText();
            }
        }
        return null;
    }

    private static void log(String routeKey, String connectionId, int status, long started) {
        LOG.atInfo().addKeyValue("api", "websocket").addKeyValue("route", routeKey).addKeyValue("connectionId", connectionId)
                .addKeyValue("status", status).addKeyValue("tookMs", (System.nanoTime() - started) / 1_000_000).log("request");
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        invoker.shutdown();
        timers.shutdownNow();
        try {
            invoker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
