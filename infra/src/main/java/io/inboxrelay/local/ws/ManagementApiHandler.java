package io.inboxrelay.local.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code @connections} management API ({@code POST|GET|DELETE /{stage}/@connections/{id}}),
 * answering as API Gateway does, errors included ({@code 410 GoneException} for a connection that
 * is not open, {@code 413 PayloadTooLargeException} over 128 KB, {@code 429 LimitExceededException} while
 * the client's buffer is full), so the AWS SDK and the AWS CLI work against it with an endpoint override.
 * A POST is answered as soon as the data is queued for the client, never after waiting for it to read.
 */
final class ManagementApiHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementApiHandler.class);
    /**
     * What a DeleteConnection closes with: API Gateway's $disconnect event after DeleteConnection carries
     * {@code "disconnectStatusCode": 1000, "disconnectReason": "Connection Closed Normally"}
     * (execution logs quoted in https://github.com/boto/boto3/issues/3789 and https://github.com/aws/chalice/issues/2060).
     */
    static final int NORMAL_CLOSURE = 1000;
    static final String NORMAL_CLOSURE_REASON = "Connection Closed Normally";

    private final Connections connections;
    private final String prefix;
    private final WsLimits limits;
    private final SocketWriter writer;
    private final SocketWriter.Dropper dropper;
    /** Reliability tests' fault injection: connection id → the error status a POST gets instead (0: none). */
    private volatile java.util.function.ToIntFunction<String> postFault = id -> 0;

    ManagementApiHandler(Connections connections, String stage, WsLimits limits, SocketWriter writer, SocketWriter.Dropper dropper) {
        this.connections = connections;
        this.prefix = "/" + stage + "/@connections/";
        this.limits = limits;
        this.writer = writer;
        this.dropper = dropper;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long started = System.nanoTime();
        String path = request.getHttpURI().getPath();
        String method = request.getMethod();
        int status;
        String connectionId = null;
        if (path == null || !path.startsWith(prefix) || path.length() == prefix.length()) {
            status = error(response, callback, 404, "NotFoundException", "\"Not Found\"");
        } else {
            connectionId = URLDecoder.decode(path.substring(prefix.length()), StandardCharsets.UTF_8);
            Optional<WsConnection> connection = connections.get(connectionId).filter(c -> c.session != null && c.session.isOpen() && !c.ended());
            int injected = "POST".equals(method) ? postFault.applyAsInt(connectionId) : 0;
            status = injected != 0 ? injected(response, callback, injected) : switch (method) {
                case "POST" -> post(connection, request, response, callback);
                case "GET" -> get(connection, response, callback);
                case "DELETE" -> delete(connection, response, callback);
                default -> error(response, callback, 405, "MethodNotAllowedException", "\"Method Not Allowed\"");
            };
        }
        LOG.atInfo().addKeyValue("api", "management").addKeyValue("method", method).addKeyValue("connectionId", connectionId)
                .addKeyValue("status", status).addKeyValue("tookMs", (System.nanoTime() - started) / 1_000_000).log("request");
        return true;
    }

    private int post(Optional<WsConnection> connection, Request request, Response response, Callback callback) throws Exception {
        byte[] data;
        try (InputStream in = Content.Source.asInputStream(request)) {
            data = in.readNBytes((int) limits.maxMessageBytes() + 1);
        }
        // A size refusal leaves the connection as it was: it is open and still receives what fits.
        if (data.length > limits.maxMessageBytes()) {
            return error(response, callback, 413, "PayloadTooLargeException", "\"Message too long\"");
        }
        if (connection.isEmpty()) {
            return gone(response, callback);
        }
        return switch (writer.send(connection.get(), new String(data, StandardCharsets.UTF_8))) {
            case ACCEPTED -> {
                connection.get().touch();
                yield empty(response, callback, 200);
            }
            case BUFFER_FULL -> limitExceeded(response, callback);
            case GONE -> gone(response, callback);
        };
    }

    void injectPostFault(java.util.function.ToIntFunction<String> fault) {
        postFault = fault == null ? id -> 0 : fault;
    }

    /** An injected error, with the error type AWS sends for that status. */
    private static int injected(Response response, Callback callback, int status) {
        return switch (status) {
            case 410 -> gone(response, callback);
            case 429 -> limitExceeded(response, callback);
            case 403 -> error(response, callback, 403, "ForbiddenException", "\"Forbidden\"");
            default -> error(response, callback, status, "InternalServerErrorException", "\"Internal server error\"");
        };
    }

    private int get(Optional<WsConnection> connection, Response response, Callback callback) {
        if (connection.isEmpty()) {
            return gone(response, callback);
        }
        WsConnection open = connection.get();
        ObjectNode body = Json.object();
        body.put("connectedAt", iso(open.connectedAt));
        ObjectNode identity = body.putObject("identity");
        identity.put("sourceIp", open.sourceIp);
        identity.put("userAgent", open.userAgent);
        body.put("lastActiveAt", iso(open.lastActiveAt));
        response.setStatus(200);
        response.getHeaders().put("Content-Type", "application/json");
        response.write(true, ByteBuffer.wrap(Json.write(body).getBytes(StandardCharsets.UTF_8)), callback);
        return 200;
    }

    private int delete(Optional<WsConnection> connection, Response response, Callback callback) {
        if (connection.isEmpty()) {
            return gone(response, callback);
        }
        // As AWS closes a connection on DeleteConnection: close code 1000, and $disconnect runs.
        dropper.drop(connection.get(), NORMAL_CLOSURE, NORMAL_CLOSURE_REASON);
        return empty(response, callback, 204);
    }

    private static String iso(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static int limitExceeded(Response response, Callback callback) {
        return error(response, callback, 429, "LimitExceededException", "\"Rate exceeded\"");
    }

    private static int gone(Response response, Callback callback) {
        return error(response, callback, 410, "GoneException", "null");
    }

    private static int empty(Response response, Callback callback, int status) {
        response.setStatus(status);
        response.getHeaders().put("Content-Type", "application/json");
        response.write(true, ByteBuffer.allocate(0), callback);
        return status;
    }

    /** @param messageJson the message as a JSON value: {@code null} for GoneException, as AWS sends it */
    private static int error(Response response, Callback callback, int status, String type, String messageJson) {
        response.setStatus(status);
        response.getHeaders().put("Content-Type", "application/json");
        response.getHeaders().put("x-amzn-ErrorType", type);
        response.write(true, ByteBuffer.wrap(("{\"message\":" + messageJson + "}").getBytes(StandardCharsets.UTF_8)), callback);
        return status;
    }
}
