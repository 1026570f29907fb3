package io.inboxrelay.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.local.gateway.SimulatedGateway.Answer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The simulator's own control endpoints, beside the gateways' paths, for tests and for a developer with curl:
 * <ul>
 *   <li>{@code GET /_simulator/options}, {@code POST /_simulator/options {"echo_first":bool, "receipt_delay_ms":n,
 *       "auto_reply":bool}} (any subset; answers the options now in force)</li>
 *   <li>{@code GET /_simulator/calls}: every gateway call received, in order, with what was sent (never the request
 *       headers: they hold the API key), and for a mark-read the message ids it marked</li>
 * </ul>
 * A browser's request (it carries {@code Origin}) is refused: no web page may re-script a developer's simulator.
 */
final class SimulatorControl {

    static final String BASE_PATH = "_simulator";

    private final GatewaySimulator simulator;

    SimulatorControl(GatewaySimulator simulator) {
        this.simulator = simulator;
    }

    Answer handle(String method, List<String> segments, Map<String, String> headers, byte[] body) {
        if (headers.containsKey("origin")) {
            return error(403, "the simulator's control endpoints serve local tools, not web pages");
        }
        String route = method + " " + String.join("/", segments);
        return switch (route) {
            case "GET options" -> Answer.json(200, options());
            case "POST options" -> setOptions(body);
            case "GET calls" -> Answer.json(200, calls());
            default -> error(404, "no control route " + route + ": use GET|POST /_simulator/options or GET /_simulator/calls");
        };
    }

    private Answer setOptions(byte[] body) {
        JsonNode json;
        try {
            json = body.length == 0 ? Json.object() : Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return error(400, "the body is not JSON");
        }
        if (!json.isObject()) {
            return error(400, "the body must be a JSON object");
        }
        GatewaySimulator.Options options = simulator.options();
        JsonNode echoFirst = json.path("echo_first");
        if (!echoFirst.isMissingNode()) {
            if (!echoFirst.isBoolean()) {
                return error(400, "echo_first must be true or false");
            }
            options = options.withEchoFirst(echoFirst.booleanValue());
        }
        JsonNode delay = json.path("receipt_delay_ms");
        if (!delay.isMissingNode()) {
            if (!delay.canConvertToLong() || !delay.isIntegralNumber() || delay.asLong() < 0 || delay.asLong() > 600_000) {
                return error(400, "receipt_delay_ms must be a whole number of milliseconds from 0 to 600000");
            }
            options = options.withReceiptDelay(Duration.ofMillis(delay.asLong()));
        }
        JsonNode autoReply = json.path("auto_reply");
        if (!autoReply.isMissingNode()) {
            if (!autoReply.isBoolean()) {
                return error(400, "auto_reply must be true or false");
            }
            options = autoReply.booleanValue() ? options.withAutoReply(options.autoReplyDelay()) : options.withoutAutoReply();
        }
        simulator.options(options);
        return Answer.json(200, options());
    }

    private ObjectNode options() {
        GatewaySimulator.Options options = simulator.options();
        return Json.object().put("echo_first", options.echoFirst()).put("receipt_delay_ms", options.receiptDelay().toMillis())
                .put("auto_reply", options.autoReply());
    }

    private ObjectNode calls() {
        ObjectNode answer = Json.object();
        ArrayNode calls = answer.putArray("calls");
        for (RecordedCall call : simulator.calls()) {
            ObjectNode json = calls.addObject().put("provider", call.provider()).put("method", call.method())
                    .put("path", call.path()).put("status", call.status());
            JsonNode body = parse(call.body());
            List<String> read = markedRead(call, body);
            json.put("operation", read != null ? "read" : call.path().contains("send") || call.path().endsWith("/messages") ? "send" : "other");
            if (read != null) {
                read.forEach(json.putArray("message_ids")::add);
            }
            if (body != null) {
                json.set("body", body);
            }
        }
        return answer;
    }

    /** The message ids a mark-read call marked, in each gateway's field, or null when the call is not a mark-read. */
    static List<String> markedRead(RecordedCall call, JsonNode body) {
        if (body == null || !call.method().equals("POST")) {
            return null;
        }
        String path = call.path();
        if (path.startsWith("/chat/markMessageAsRead/")) {
            return body.path("readMessages").findValuesAsText("id");
        }
        if (path.equals("/api/sendSeen")) {
            return texts(body.path("messageIds"));
        }
        if (path.startsWith("/api/sessions/") && path.endsWith("/read")) {
            return texts(body.path("message_ids"));
        }
        if (path.endsWith("/messages") && "read".equals(body.path("status").asText())) {
            return List.of(body.path("message_id").asText());
        }
        return null;
    }

    private static List<String> texts(JsonNode array) {
        return array.isArray() ? java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList() : List.of();
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static Answer error(int status, String message) {
        return Answer.json(status, Json.object().put("error", message));
    }
}
