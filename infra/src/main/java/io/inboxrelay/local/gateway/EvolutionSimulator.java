package io.inboxrelay.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.SignatureKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Evolution API v2: {@code apikey} header; answers and webhooks shaped as in EvolutionAPI/evolution-api
 * ({@code send.message} and {@code messages.update} for the business's messages, {@code messages.upsert} for the lead's),
 * errors as {@code {status, error, response:{message}}}. Webhooks are signed with the instance's {@code jwt_key}.
 */
final class EvolutionSimulator extends SimulatedGateway {

    EvolutionSimulator(GatewaySimulator simulator) {
        super(simulator);
    }

    @Override
    Provider provider() {
        return Provider.EVOLUTION;
    }

    @Override
    String basePath() {
        return "evolution";
    }

    @Override
    boolean authorized(Request request) {
        return simulator.apiKey().equals(request.header("apikey"));
    }

    @Override
    Answer unauthorized() {
        return error(401, "Unauthorized", "\"Unauthorized\"");
    }

    @Override
    Answer notFound(Request request) {
        return error(404, "Not Found", "[\"Cannot " + request.method() + " " + request.path() + "\"]");
    }

    private static Answer error(int status, String error, String messageJson) {
        return Answer.json(status, "{\"status\":" + status + ",\"error\":\"" + error + "\",\"response\":{\"message\":" + messageJson + "}}");
    }

    @Override
    Answer handle(Request request) {
        if (request.segments().size() != 3 || !request.method().equals("POST")) {
            return null;
        }
        String instance = request.segments().get(2);
        JsonNode body = request.json();
        return switch (request.segments().get(0) + "/" + request.segments().get(1)) {
            case "message/sendText" -> send(instance, body, text(body, "text"), null, null, null);
            case "message/sendMedia" -> send(instance, body, null, text(body, "media"), text(body, "mimetype"), text(body, "fileName"));
            case "message/sendWhatsAppAudio" -> send(instance, body, null, text(body, "audio"), "audio/ogg; codecs=opus", null);
            case "chat/markMessageAsRead" -> Answer.json(201, "{\"message\":\"Read messages\",\"read\":\"success\"}");
            case "chat/getBase64FromMediaMessage" -> base64(body);
            case "webhook/set" -> setWebhook(instance, body);
            default -> null;
        };
    }

    private Answer send(String instance, JsonNode body, String text, String mediaUrl, String mimeType, String fileName) {
        String number = text(body, "number");
        if (number == null || (text == null && mediaUrl == null)) {
            return error(400, "Bad Request", "[\"number and text (or media) are required\"]");
        }
        Answer refused = scripted(instance, number, body);
        if (refused != null) {
            return refused;
        }
        String chat = jid(number, "s.whatsapp.net");
        String id = "BAE5" + randomHex(6).toUpperCase(java.util.Locale.ROOT);
        StoredMedia media = null;
        if (mediaUrl != null) {
            try {
                media = simulator.download(mediaUrl, mimeType, fileName, id, id);
            } catch (IOException e) {
                return error(400, "Bad Request", "[\"" + e.getMessage() + "\"]");
            }
        }
        String caption = text(body, "caption");
        SentMessage sent = new SentMessage(simulator.sessionOrNew(Provider.EVOLUTION, instance), id, chat,
                media == null ? text : caption, media, Instant.now().getEpochSecond());
        simulator.sent(this, sent);
        return answered(number, Answer.json(201, messageData(sent, true, "PENDING")));
    }

    /**
     * As Evolution answers: the number check's own result for a number without WhatsApp (400, exists:false), Baileys'
     * "Connection Closed" as a 500 for a disconnected instance, and its {status, error, response:{message}} otherwise.
     */
    @Override
    Answer refusal(Script script, String session, String recipient) {
        String digits = digits(recipient);
        return switch (script) {
            case NOT_ON_WHATSAPP -> error(400, "Bad Request", Json.write(Json.MAPPER.createArrayNode().add(Json.object()
                    .put("jid", digits + "@s.whatsapp.net").put("exists", false).put("number", digits))));
            case OUTSIDE_WINDOW -> error(400, "Bad Request", Json.write(Json.MAPPER.createArrayNode().add(Script.OUTSIDE_WINDOW_REASON)));
            case RATE_LIMITED -> error(429, "Too Many Requests", "[\"Too Many Requests\"]").withHeader("Retry-After", "1");
            case UNAVAILABLE -> error(503, "Service Unavailable", "[\"Service Unavailable\"]");
            case DISCONNECTED -> error(500, "Internal Server Error", "[\"Error: Connection Closed\"]");
            case SLOW -> throw new IllegalArgumentException("a slow send is not refused");
        };
    }

    private Answer base64(JsonNode body) {
        String id = body.path("message").path("key").path("id").asText(null);
        StoredMedia media = id == null ? null : simulator.media(id).orElse(null);
        if (media == null) {
            return error(400, "Bad Request", "[\"Message not found\"]");
        }
        ObjectNode answer = Json.object().put("mediaType", mediaType(media)).put("fileName", media.fileName())
                .put("mimetype", media.mimeType()).put("base64", Base64.getEncoder().encodeToString(media.bytes()));
        answer.putObject("size").put("fileLength", media.bytes().length);
        answer.putNull("buffer");
        return Answer.json(201, answer);
    }

    private Answer setWebhook(String instance, JsonNode body) {
        JsonNode webhook = body.path("webhook");
        String url = text(webhook, "url");
        if (url == null) {
            return error(400, "Bad Request", "[\"webhook.url is required\"]");
        }
        String jwtKey = text(webhook.path("headers"), "jwt_key");
        simulator.registerSession(Provider.EVOLUTION, instance, url, jwtKey, SignatureKind.EVOLUTION_JWT);
        ObjectNode answer = Json.object().put("id", UUID.randomUUID().toString()).put("url", url)
                .put("enabled", webhook.path("enabled").asBoolean(true))
                .put("webhookByEvents", webhook.path("byEvents").asBoolean(false))
                .put("webhookBase64", webhook.path("base64").asBoolean(false));
        answer.set("events", webhook.path("events").isArray() ? webhook.get("events") : Json.MAPPER.createArrayNode());
        return Answer.json(201, answer);
    }

    @Override
    byte[] echo(SentMessage message) {
        return envelope("send.message", message.session(), messageData(message, true, "SERVER_ACK"));
    }

    @Override
    byte[] receipt(SentMessage message, Receipt receipt) {
        ObjectNode data = Json.object().put("messageId", UUID.randomUUID().toString()).put("keyId", message.id())
                .put("remoteJid", message.chat()).put("fromMe", true).put("participant", message.chat())
                .put("status", receipt == Receipt.READ ? "READ" : "DELIVERY_ACK").put("instanceId", instanceId(message.session()));
        return envelope("messages.update", message.session(), data);
    }

    @Override
    byte[] leadMessage(SimulatedSession session, String chat, String id, String text, long epochSeconds) {
        ObjectNode data = Json.object();
        data.putObject("key").put("remoteJid", chat).put("fromMe", false).put("id", id).put("addressingMode", "pn");
        data.put("pushName", "Simulated Lead").put("status", "DELIVERY_ACK");
        data.putObject("message").put("conversation", text);
        data.put("messageType", "conversation").put("messageTimestamp", epochSeconds)
                .put("instanceId", instanceId(session)).put("source", "android");
        return envelope("messages.upsert", session, data);
    }

    private ObjectNode messageData(SentMessage message, boolean fromMe, String status) {
        ObjectNode data = Json.object();
        data.putObject("key").put("remoteJid", message.chat()).put("fromMe", fromMe).put("id", message.id());
        data.put("pushName", "").put("status", status);
        ObjectNode content = data.putObject("message");
        StoredMedia media = message.media();
        if (media == null) {
            content.put("conversation", message.text());
            data.put("messageType", "conversation");
        } else {
            ObjectNode object = content.putObject(mediaType(media)).put("mimetype", media.mimeType())
                    .put("fileLength", Integer.toString(media.bytes().length));
            if (message.text() != null) {
                object.put("caption", message.text());
            }
            if (media.fileName() != null) {
                object.put("fileName", media.fileName());
            }
            data.put("messageType", mediaType(media));
        }
        data.putNull("contextInfo");
        data.put("messageTimestamp", message.epochSeconds()).put("instanceId", instanceId(message.session())).put("source", "unknown");
        return data;
    }

    private byte[] envelope(String event, SimulatedSession session, ObjectNode data) {
        ObjectNode body = Json.object().put("event", event).put("instance", session.gatewaySession());
        body.set("data", data);
        body.put("destination", session.webhookUrl()).put("date_time", Instant.now().toString())
                .put("sender", OWNER_DIGITS + "@s.whatsapp.net").put("server_url", simulator.baseUrl(Provider.EVOLUTION).toString());
        body.putNull("apikey");
        return Json.write(body).getBytes(StandardCharsets.UTF_8);
    }

    private static String instanceId(SimulatedSession session) {
        return UUID.nameUUIDFromBytes(session.gatewaySession().getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String mediaType(StoredMedia media) {
        String type = media.mimeType() == null ? "" : media.mimeType();
        if (type.startsWith("image/")) {
            return "imageMessage";
        }
        if (type.startsWith("video/")) {
            return "videoMessage";
        }
        if (type.startsWith("audio/")) {
            return "audioMessage";
        }
        return "documentMessage";
    }
}
