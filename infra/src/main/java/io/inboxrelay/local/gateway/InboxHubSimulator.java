package io.inboxrelay.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.SignatureKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * An Inbox Hub bridge as {@code docs/generic-webhook-format.md} ("Sending") defines it: {@code X-API-Key}, errors
 * {@code {error:{code, message}}}, {@code message.sent} then {@code message.delivered} and {@code message.read} webhooks
 * signed {@code X-Webhook-Signature: sha256=HMAC-SHA256(secret, body)}.
 */
final class InboxHubSimulator extends SimulatedGateway {

    InboxHubSimulator(GatewaySimulator simulator) {
        super(simulator);
    }

    @Override
    Provider provider() {
        return Provider.INBOX_HUB;
    }

    @Override
    String basePath() {
        return "inboxhub";
    }

    @Override
    boolean authorized(Request request) {
        return simulator.apiKey().equals(request.header("x-api-key"));
    }

    @Override
    Answer unauthorized() {
        return error(401, "unauthorized", "invalid API key");
    }

    @Override
    Answer notFound(Request request) {
        return error(404, "not_found", "no route " + request.method() + " " + request.path());
    }

    private static Answer error(int status, String code, String message) {
        ObjectNode body = Json.object();
        body.putObject("error").put("code", code).put("message", message);
        return Answer.json(status, body);
    }

    @Override
    Answer handle(Request request) {
        if (request.is("POST", "api", "sessions", "*", "messages")) {
            return send(request.segments().get(2), request.json());
        }
        if (request.is("POST", "api", "sessions", "*", "read")) {
            return request.json().path("message_ids").isArray() ? Answer.empty(204)
                    : error(400, "invalid_request", "chat and message_ids are required");
        }
        if (request.is("GET", "api", "sessions", "*", "messages", "*", "media")) {
            return simulator.media(request.segments().get(4)).map(media -> new Answer(200, media.mimeType(), media.bytes()))
                    .orElseGet(() -> error(404, "not_found", "no media for this message"));
        }
        if (request.is("PUT", "api", "sessions", "*", "webhook")) {
            JsonNode body = request.json();
            String url = text(body, "url") != null ? text(body, "url") : text(body, "webhookUrl");
            String secret = text(body, "secret") != null ? text(body, "secret") : text(body, "webhookSecret");
            if (url == null || secret == null) {
                return error(400, "invalid_request", "url and secret are required");
            }
            simulator.registerSession(Provider.INBOX_HUB, request.segments().get(2), url, secret, SignatureKind.HMAC_SHA256_BODY);
            return Answer.empty(204);
        }
        return null;
    }

    private Answer send(String sessionId, JsonNode body) {
        String to = text(body, "to");
        JsonNode mediaSpec = body.path("media");
        String text = text(body, "text");
        if (to == null || (text == null && !mediaSpec.isObject())) {
            return error(400, "invalid_request", "to and text (or media) are required");
        }
        Answer refused = scripted(sessionId, to, body);
        if (refused != null) {
            return refused;
        }
        String chat = jid(to, "s.whatsapp.net");
        String id = whatsAppId();
        StoredMedia media = null;
        if (mediaSpec.isObject()) {
            String url = text(mediaSpec, "url");
            if (url == null) {
                return error(400, "invalid_request", "media.url is required");
            }
            try {
                media = simulator.download(url, text(mediaSpec, "mimetype"), text(mediaSpec, "filename"), id, id);
            } catch (IOException e) {
                return error(400, "invalid_request", "the media could not be downloaded: " + e.getMessage());
            }
            text = text(mediaSpec, "caption");
        }
        SentMessage sent = new SentMessage(simulator.sessionOrNew(Provider.INBOX_HUB, sessionId), id, chat, text, media,
                Instant.now().getEpochSecond());
        simulator.sent(this, sent);
        return answered(to, Answer.json(201, Json.object().put("id", id).put("chat", chat)));
    }

    /** As docs/generic-webhook-format.md ("Sending") documents the errors: {error:{code, message}}. */
    @Override
    Answer refusal(Script script, String session, String recipient) {
        return switch (script) {
            case NOT_ON_WHATSAPP -> error(422, "not_on_whatsapp", digits(recipient) + " is not on WhatsApp");
            case OUTSIDE_WINDOW -> error(400, "invalid_request", Script.OUTSIDE_WINDOW_REASON);
            case RATE_LIMITED -> error(429, "rate_limited", "too many messages; retry after 1 s").withHeader("Retry-After", "1");
            case UNAVAILABLE -> error(503, "unavailable", "the bridge is restarting");
            case DISCONNECTED -> error(409, "session_not_connected", "the session is not connected to WhatsApp: scan the QR code");
            case SLOW -> throw new IllegalArgumentException("a slow send is not refused");
        };
    }

    @Override
    byte[] echo(SentMessage message) {
        ObjectNode body = envelope("message.sent", message.session());
        ObjectNode object = body.putObject("message").put("id", message.id()).put("to", message.chat()).put("fromMe", true)
                .put("timestamp", message.epochSeconds());
        if (message.text() != null) {
            object.put("text", message.text());
        }
        StoredMedia media = message.media();
        if (media != null) {
            ObjectNode spec = object.putObject("media").put("id", media.mediaId()).put("mimetype", media.mimeType())
                    .put("url", simulator.baseUrl(Provider.INBOX_HUB) + "/api/sessions/" + message.session().gatewaySession()
                            + "/messages/" + message.id() + "/media")
                    .put("size", media.bytes().length);
            if (media.fileName() != null) {
                spec.put("fileName", media.fileName());
            }
        }
        return Json.write(body).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    byte[] receipt(SentMessage message, Receipt receipt) {
        ObjectNode body = envelope(receipt == Receipt.READ ? "message.read" : "message.delivered", message.session());
        body.putObject("message").put("id", message.id()).put("to", message.chat());
        return Json.write(body).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    byte[] leadMessage(SimulatedSession session, String chat, String id, String text, long epochSeconds) {
        ObjectNode body = envelope("message.received", session);
        body.putObject("message").put("id", id).put("from", chat).put("name", "Simulated Lead").put("text", text)
                .put("timestamp", epochSeconds);
        return Json.write(body).getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode envelope(String event, SimulatedSession session) {
        return Json.object().put("event", event).put("session", session.gatewaySession()).put("timestamp", Instant.now().getEpochSecond());
    }
}
