package io.inboxrelay.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.SignatureKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * WAHA (WEBJS engine): {@code X-Api-Key}; answers and webhooks shaped as in devlikeapro/waha ({@code message.any} with
 * {@code fromMe} for the echo, {@code message.ack} for receipts), NestJS errors {@code {message, statusCode}}. The
 * session config's webhook {@code hmac.key} signs the webhooks (HMAC-SHA512).
 */
final class WahaSimulator extends SimulatedGateway {

    private final Map<String, ObjectNode> configs = new ConcurrentHashMap<>();

    WahaSimulator(GatewaySimulator simulator) {
        super(simulator);
    }

    @Override
    Provider provider() {
        return Provider.WAHA;
    }

    @Override
    String basePath() {
        return "waha";
    }

    @Override
    boolean authorized(Request request) {
        return simulator.apiKey().equals(request.header("x-api-key"));
    }

    @Override
    Answer unauthorized() {
        return Answer.json(401, "{\"message\":\"Unauthorized\",\"statusCode\":401}");
    }

    @Override
    Answer notFound(Request request) {
        return Answer.json(404, "{\"message\":\"Cannot " + request.method() + " " + request.path()
                + "\",\"error\":\"Not Found\",\"statusCode\":404}");
    }

    @Override
    Answer handle(Request request) {
        JsonNode body = request.json();
        if (request.method().equals("POST") && request.segments().size() == 2 && request.segments().get(0).equals("api")) {
            return switch (request.segments().get(1)) {
                case "sendText" -> send(body, text(body, "text"), null);
                case "sendImage", "sendFile", "sendVoice", "sendVideo" -> send(body, text(body, "caption"), body.path("file"));
                case "sendSeen" -> Answer.json(201, "{}");
                default -> null;
            };
        }
        if (request.is("GET", "api", "sessions", "*")) {
            return Answer.json(200, sessionInfo(request.segments().get(2)));
        }
        if (request.is("PUT", "api", "sessions", "*")) {
            return updateSession(request.segments().get(2), body);
        }
        if (request.is("GET", "api", "files", "*", "*")) {
            return simulator.media(request.segments().get(3))
                    .map(media -> new Answer(200, media.mimeType(), media.bytes()))
                    .orElseGet(() -> notFound(request));
        }
        return null;
    }

    private Answer send(JsonNode body, String text, JsonNode file) {
        String chatId = text(body, "chatId");
        if (chatId == null || (text == null && file == null)) {
            return Answer.json(400, "{\"message\":[\"chatId and text (or file) are required\"],\"error\":\"Bad Request\",\"statusCode\":400}");
        }
        String session = text(body, "session") == null ? "default" : text(body, "session");
        Answer refused = scripted(session, chatId, body);
        if (refused != null) {
            return refused;
        }
        String chat = jid(chatId, "c.us");
        String raw = whatsAppId();
        String id = "true_" + chat + "_" + raw;
        StoredMedia media = null;
        if (file != null) {
            String url = text(file, "url");
            if (url == null) {
                return Answer.json(400, "{\"message\":[\"file.url is required\"],\"error\":\"Bad Request\",\"statusCode\":400}");
            }
            try {
                media = simulator.download(url, text(file, "mimetype"), text(file, "filename"), id, raw + extension(text(file, "mimetype")));
            } catch (IOException e) {
                return Answer.json(500, Json.object().put("statusCode", 500).put("message", e.getMessage()));
            }
        }
        SentMessage sent = new SentMessage(simulator.sessionOrNew(Provider.WAHA, session), id, chat, text, media, Instant.now().getEpochSecond());
        simulator.sent(this, sent);
        // WEBJS answers the whatsapp-web.js Message: its id is an object with _serialized.
        ObjectNode answer = Json.object();
        answer.putObject("id").put("fromMe", true).put("remote", chat).put("id", raw).put("_serialized", id);
        answer.put("body", text == null ? "" : text).put("from", OWNER_DIGITS + "@c.us").put("to", chat).put("fromMe", true)
                .put("timestamp", sent.epochSeconds()).put("ack", 0).put("hasMedia", media != null);
        return answered(chatId, Answer.json(201, answer));
    }

    /**
     * As WAHA answers: the session check's 422 {error, session, status, expected} for a session that is not WORKING,
     * NestJS {statusCode, message} for the rest, and for a number without WhatsApp the engine's own error as an
     * unhandled 500 (devlikeapro/waha#2094: {statusCode:500, exception:{message, name}}): WAHA has no error of its own
     * for it.
     */
    @Override
    Answer refusal(Script script, String session, String recipient) {
        return switch (script) {
            case NOT_ON_WHATSAPP -> {
                ObjectNode body = Json.object().put("statusCode", 500).put("timestamp", Instant.now().toString());
                body.putObject("exception").put("message", "Evaluation failed: Error: No LID for user").put("name", "Error");
                yield Answer.json(500, body);
            }
            case OUTSIDE_WINDOW -> Answer.json(400, Json.object().put("statusCode", 400).put("error", "Bad Request")
                    .set("message", Json.MAPPER.createArrayNode().add(Script.OUTSIDE_WINDOW_REASON)));
            case RATE_LIMITED -> Answer.json(429, "{\"statusCode\":429,\"message\":\"ThrottlerException: Too Many Requests\"}")
                    .withHeader("Retry-After", "1");
            case UNAVAILABLE -> Answer.json(503, "{\"statusCode\":503,\"message\":\"Service Unavailable\"}");
            case DISCONNECTED -> {
                ObjectNode body = Json.object().put("error", "Session status is not as expected. Try again later or restart the session")
                        .put("session", session).put("status", "SCAN_QR_CODE");
                body.putArray("expected").add("WORKING");
                yield Answer.json(422, body);
            }
            case SLOW -> throw new IllegalArgumentException("a slow send is not refused");
        };
    }

    private ObjectNode sessionInfo(String session) {
        ObjectNode info = Json.object().put("name", session).put("status", "WORKING");
        info.set("config", configs.getOrDefault(session, Json.object()));
        info.putObject("me").put("id", OWNER_DIGITS + "@c.us").put("pushName", "Simulated business");
        info.putObject("engine").put("engine", "WEBJS");
        return info;
    }

    /** The whole config is replaced, as WAHA does; the webhook with an HMAC key (the last one) is where webhooks go. */
    private Answer updateSession(String session, JsonNode body) {
        ObjectNode config = body.path("config").isObject() ? ((ObjectNode) body.get("config")).deepCopy() : Json.object();
        configs.put(session, config);
        ArrayNode webhooks = config.path("webhooks").isArray() ? (ArrayNode) config.get("webhooks") : Json.MAPPER.createArrayNode();
        for (JsonNode webhook : webhooks) {
            String url = text(webhook, "url");
            String key = text(webhook.path("hmac"), "key");
            if (url != null && key != null) {
                simulator.registerSession(Provider.WAHA, session, url, key, SignatureKind.WAHA_HMAC);
            }
        }
        return Answer.json(200, sessionInfo(session));
    }

    @Override
    byte[] echo(SentMessage message) {
        ObjectNode payload = Json.object().put("id", message.id()).put("timestamp", message.epochSeconds())
                .put("from", OWNER_DIGITS + "@c.us").put("fromMe", true).put("source", "api").put("to", message.chat());
        payload.putNull("participant");
        payload.put("body", message.text() == null ? "" : message.text()).put("hasMedia", message.media() != null);
        if (message.media() == null) {
            payload.putNull("media");
        } else {
            StoredMedia media = message.media();
            ObjectNode object = payload.putObject("media")
                    .put("url", simulator.url() + "/api/files/" + message.session().gatewaySession() + "/" + media.mediaId())
                    .put("mimetype", media.mimeType());
            if (media.fileName() == null) {
                object.putNull("filename");
            } else {
                object.put("filename", media.fileName());
            }
        }
        payload.put("ack", 1).put("ackName", "SERVER");
        payload.putNull("replyTo");
        payload.putObject("_data").put("type", message.media() == null ? "chat" : "image");
        return envelope("message.any", message.session(), payload);
    }

    @Override
    byte[] receipt(SentMessage message, Receipt receipt) {
        ObjectNode payload = Json.object().put("id", message.id()).put("from", OWNER_DIGITS + "@c.us").put("to", message.chat());
        payload.putNull("participant");
        payload.put("fromMe", true).put("ack", receipt == Receipt.READ ? 3 : 2).put("ackName", receipt == Receipt.READ ? "READ" : "DEVICE");
        payload.putObject("_data");
        return envelope("message.ack", message.session(), payload);
    }

    /** {@code message.any} carries the lead's messages too: it is the event the client subscribes to. */
    @Override
    byte[] leadMessage(SimulatedSession session, String chat, String id, String text, long epochSeconds) {
        ObjectNode payload = Json.object().put("id", "false_" + chat + "_" + id).put("timestamp", epochSeconds)
                .put("from", chat).put("fromMe", false).put("source", "app").put("to", OWNER_DIGITS + "@c.us");
        payload.putNull("participant");
        payload.put("body", text).put("hasMedia", false);
        payload.putNull("media");
        payload.put("ack", 1).put("ackName", "SERVER");
        payload.putNull("replyTo");
        payload.putObject("_data").put("notifyName", "Simulated Lead").put("type", "chat");
        return envelope("message.any", session, payload);
    }

    private byte[] envelope(String event, SimulatedSession session, ObjectNode payload) {
        ObjectNode body = Json.object().put("id", "evt_" + randomHex(13)).put("timestamp", Instant.now().toEpochMilli())
                .put("event", event).put("session", session.gatewaySession());
        body.putObject("metadata");
        body.putObject("me").put("id", OWNER_DIGITS + "@c.us").put("pushName", "Simulated business");
        body.set("payload", payload);
        body.put("engine", "WEBJS");
        body.putObject("environment").put("version", "simulator").put("engine", "WEBJS").put("tier", "CORE");
        return Json.write(body).getBytes(StandardCharsets.UTF_8);
    }

    private static String extension(String mimeType) {
        if (mimeType == null || !mimeType.contains("/")) {
            return "";
        }
        String subtype = mimeType.substring(mimeType.indexOf('/') + 1);
        int semicolon = subtype.indexOf(';');
        return "." + (semicolon < 0 ? subtype : subtype.substring(0, semicolon)).trim();
    }
}
