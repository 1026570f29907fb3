package io.inboxrelay.local.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.local.ApiIds;
import io.inboxrelay.local.lambda.FunctionError;
import io.inboxrelay.local.lambda.LambdaEvent;
import io.inboxrelay.local.lambda.LocalFunction;
import io.inboxrelay.local.lambda.LocalFunctions;
import io.inboxrelay.local.template.HttpRouteSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: each request that matches a template route becomes the payload-2.0
 * APIGatewayV2HTTPEvent API Gateway would send, and the function's response becomes the HTTP
 * response. Requests beyond Lambda's 6 MB payload cap get 413 without reaching the function, as in
 * AWS. Anything else is served from the classpath's {@code web/} directory.
 */
public final class HttpApiHandler extends Handler.Abstract {

    /** Lambda's synchronous invocation payload cap. */
    public static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(HttpApiHandler.class);

    private final RouteTable routes;
    private final LocalFunctions functions;
    private final String stage;
    private final String apiId;
    private final StaticFiles staticFiles = new StaticFiles("web/");

    public HttpApiHandler(List<HttpRouteSpec> routes, LocalFunctions functions, String stage) {
        this.routes = new RouteTable(routes);
        this.functions = functions;
        this.stage = stage;
        this.apiId = "local-http";
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long started = System.nanoTime();
        String method = request.getMethod();
        String rawPath = request.getHttpURI().getPath();
        List<String> segments = decodedSegments(rawPath);
        Optional<RouteTable.Match> match = routes.match(method, segments);
        int status;
        String routeKey = match.map(m -> m.route().routeKey()).orElse(null);
        if (match.isEmpty()) {
            status = staticFiles.serve(request, response, callback, rawPath);
        } else if (AdminRequestGuard.guards(match.get().route().path()) && AdminRequestGuard.refusal(request) != null) {
            discardRest(request);
            status = HttpResponses.json(response, callback, 403,
                    Json.write(Json.object().put("message", AdminRequestGuard.refusal(request))));
        } else if (declaredLength(request) > MAX_PAYLOAD_BYTES) {
            discardRest(request);
            status = HttpResponses.json(response, callback, 413, "{\"message\":\"Request Entity Too Large\"}");
        } else {
            byte[] body = readBody(request);
            status = body == null
                    ? HttpResponses.json(response, callback, 413, "{\"message\":\"Request Entity Too Large\"}")
                    : invoke(match.get(), request, rawPath, body, response, callback);
        }
        LOG.atInfo().addKeyValue("api", "http").addKeyValue("method", method).addKeyValue("path", rawPath)
                .addKeyValue("route", routeKey).addKeyValue("status", status)
                .addKeyValue("tookMs", (System.nanoTime() - started) / 1_000_000).log("request");
        return true;
    }

    private int invoke(RouteTable.Match match, Request request, String rawPath, byte[] body, Response response, Callback callback) {
        LocalFunction function = functions.get(match.route().functionId()).orElse(null);
        if (function == null) {
            return HttpResponses.json(response, callback, 500, "{\"message\":\"Internal Server Error\"}");
        }
        JsonNode result;
        try {
            result = function.invoke(LambdaEvent.of(event(match, request, rawPath, body)));
        } catch (FunctionError e) {
            LOG.atError().addKeyValue("function", function.name()).addKeyValue("errorType", e.errorType())
                    .setCause(e.getCause()).log("function failed: {}", e.getMessage());
            return HttpResponses.json(response, callback, 500, "{\"message\":\"Internal Server Error\"}");
        }
        return HttpResponses.fromLambda(response, callback, result);
    }

    private ObjectNode event(RouteTable.Match match, Request request, String rawPath, byte[] body) {
        long now = System.currentTimeMillis();
        ObjectNode event = Json.object();
        event.put("version", "2.0");
        event.put("routeKey", match.route().routeKey());
        event.put("rawPath", rawPath);
        String query = request.getHttpURI().getQuery();
        event.put("rawQueryString", query == null ? "" : query);
        ObjectNode headers = event.putObject("headers");
        List<String> cookies = new ArrayList<>();
        for (HttpField field : request.getHeaders()) {
            String name = field.getName().toLowerCase(Locale.ROOT);
            if (name.equals("cookie")) {
                for (String cookie : field.getValue().split(";")) {
                    if (!cookie.isBlank()) {
                        cookies.add(cookie.trim());
                    }
                }
                continue;
            }
            // HTTP API folds repeated headers into one, comma-separated
            headers.put(name, headers.has(name) ? headers.get(name).asText() + "," + field.getValue() : field.getValue());
        }
        String sourceIp = Request.getRemoteAddr(request);
        headers.put("x-forwarded-for", headers.has("x-forwarded-for") ? headers.get("x-forwarded-for").asText() + ", " + sourceIp : sourceIp);
        headers.put("x-forwarded-proto", request.isSecure() ? "https" : "http");
        headers.put("x-forwarded-port", String.valueOf(Request.getLocalPort(request)));
        if (!cookies.isEmpty()) {
            cookies.forEach(event.putArray("cookies")::add);
        }
        if (query != null && !query.isEmpty()) {
            ObjectNode parameters = event.putObject("queryStringParameters");
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                parameters.put(name, parameters.has(name) ? parameters.get(name).asText() + "," + value : value);
            }
        }
        if (!match.pathParameters().isEmpty()) {
            ObjectNode parameters = event.putObject("pathParameters");
            match.pathParameters().forEach(parameters::put);
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "000000000000");
        context.put("apiId", apiId);
        String host = request.getHttpURI().getHost();
        context.put("domainName", headers.path("host").asText(host));
        context.put("domainPrefix", headers.path("host").asText(host).split("[.:]")[0]);
        ObjectNode http = context.putObject("http");
        http.put("method", request.getMethod());
        http.put("path", rawPath);
        http.put("protocol", request.getConnectionMetaData().getProtocol());
        http.put("sourceIp", sourceIp);
        http.put("userAgent", headers.path("user-agent").asText(""));
        context.put("requestId", ApiIds.next());
        context.put("routeKey", match.route().routeKey());
        context.put("stage", stage);
        context.put("time", ApiIds.requestTime(java.time.Instant.ofEpochMilli(now)));
        context.put("timeEpoch", now);
        if (body.length > 0) {
            boolean text = isText(headers.path("content-type").asText(""));
            event.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", !text);
        } else {
            event.put("isBase64Encoded", false);
        }
        return event;
    }

    /** The content types API Gateway passes as text; everything else arrives base64-encoded. */
    static boolean isText(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.contains("json") || type.contains("xml") || type.contains("javascript")
                || type.startsWith("application/x-www-form-urlencoded");
    }

    private List<String> decodedSegments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String segment : RouteTable.split(rawPath == null ? "/" : rawPath)) {
            segments.add(decode(segment));
        }
        // The stage prefix is optional locally: /prod/webhooks/x and /webhooks/x reach the same route.
        if (!segments.isEmpty() && segments.get(0).equals(stage)) {
            segments.remove(0);
        }
        return segments;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    private static long declaredLength(Request request) {
        return request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
    }

    /** The body, or null when it passes the payload cap. */
    private static byte[] readBody(Request request) throws IOException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(MAX_PAYLOAD_BYTES + 1);
            if (body.length > MAX_PAYLOAD_BYTES) {
                discard(in);
                return null;
            }
            return body;
        }
    }

    /** Bodies larger than this are not drained before a 413; the connection is closed under the sender. */
    static final long MAX_DRAINED_BYTES = 64L * 1024 * 1024;

    /**
     * Reads and drops the rest of a refused body, so the 413 reaches a client still sending it: closing
     * with unread bytes in the socket resets the connection, and the client may see no answer at all.
     */
    private static void discardRest(Request request) throws IOException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            discard(in);
        }
    }

    private static void discard(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long drained = 0;
        int read;
        while (drained < MAX_DRAINED_BYTES && (read = in.read(buffer)) >= 0) {
            drained += read;
        }
    }
}
