package io.inboxrelay.core.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.outbound.GatewayFailure.Kind;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Evolution API v2 (EvolutionAPI/evolution-api): one instance, authenticated by the {@code apikey} header.
 * Request shapes from {@code src/validate/message.schema.ts}, {@code src/api/dto/chat.dto.ts} and
 * {@code src/api/integrations/event/webhook/webhook.schema.ts}; errors from {@code src/main.ts}
 * ({@code {status, error, response:{message}}}).
 */
public final class EvolutionClient implements GatewayClient {

    /** What the webhook must carry for this system: messages in and out, their receipts, and the instance's state. */
    static final List<String> DEFAULT_EVENTS = List.of("MESSAGES_UPSERT", "MESSAGES_UPDATE", "MESSAGES_DELETE",
            "MESSAGES_EDITED", "SEND_MESSAGE", "CONNECTION_UPDATE", "QRCODE_UPDATED");

    private final GatewayHttp http;
    private final URI baseUrl;
    private final Credential apiKey;
    private final String instance;
    private final long maxMediaBytes;

    public EvolutionClient(GatewayHttp http, URI baseUrl, Credential apiKey, String instance, long maxMediaBytes) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.instance = Calls.require(instance, "instance");
        this.maxMediaBytes = maxMediaBytes;
    }

    @Override
    public Provider provider() {
        return Provider.EVOLUTION;
    }

    @Override
    public SendResult sendText(String to, String text, String replyToMessageId) {
        ObjectNode body = Json.object().put("number", number(to)).put("text", Calls.require(text, "text"));
        quote(body, replyToMessageId);
        return sent("sendText", post("sendText", Calls.uri(baseUrl, "message", "sendText", instance), body, false));
    }

    @Override
    public SendResult sendMedia(String to, OutboundMedia media, String replyToMessageId) {
        ObjectNode body = Json.object().put("number", number(to));
        if (media.kind() == MediaKind.VOICE) {
            // A voice note (push-to-talk) is its own endpoint: sendMedia's "audio" arrives as a file.
            body.put("audio", media.url());
            quote(body, replyToMessageId);
            return sent("sendWhatsAppAudio", post("sendWhatsAppAudio", Calls.uri(baseUrl, "message", "sendWhatsAppAudio", instance), body, false));
        }
        body.put("mediatype", media.kind() == MediaKind.AUDIO ? "audio" : media.kind().wireName())
                .put("media", media.url());
        Calls.putIfPresent(body, "mimetype", media.mimeType());
        Calls.putIfPresent(body, "caption", media.caption());
        Calls.putIfPresent(body, "fileName", media.fileName());
        quote(body, replyToMessageId);
        return sent("sendMedia", post("sendMedia", Calls.uri(baseUrl, "message", "sendMedia", instance), body, false));
    }

    @Override
    public void markRead(String chat, List<String> messageIds) {
        if (messageIds == null || messageIds.isEmpty()) {
            throw new IllegalArgumentException("at least one message id is required");
        }
        String remoteJid = Calls.jid(chat, "s.whatsapp.net");
        ArrayNode keys = Json.MAPPER.createArrayNode();
        for (String id : messageIds) {
            keys.addObject().put("remoteJid", remoteJid).put("fromMe", false).put("id", id);
        }
        ObjectNode body = Json.object();
        body.set("readMessages", keys);
        post("markRead", Calls.uri(baseUrl, "chat", "markMessageAsRead", instance), body, true);
    }

    @Override
    public FetchedMedia fetchMedia(MediaReference reference) {
        ObjectNode body = Json.object();
        ObjectNode key = body.putObject("message").putObject("key").put("id", Calls.require(reference.messageId(), "messageId"));
        if (reference.chat() != null) {
            key.put("remoteJid", reference.chat()).put("fromMe", reference.fromMe());
        }
        body.put("convertToMp4", false);
        // Base64 is a third larger than the bytes; allow for it and for the JSON around it.
        GatewayRequest request = new GatewayRequest(Provider.EVOLUTION, "fetchMedia", "POST",
                Calls.uri(baseUrl, "chat", "getBase64FromMediaMessage", instance),
                Map.of("apikey", apiKey.reveal(), "Content-Type", "application/json", "Accept", "application/json"),
                Json.write(body).getBytes(StandardCharsets.UTF_8), true, maxMediaBytes * 4 / 3 + 64 * 1024,
                List.of(apiKey));
        JsonNode answer = expectSuccess(request, http.execute(request));
        String base64 = Calls.text(answer, "base64");
        if (base64 == null) {
            throw new GatewayException(request.failure(Kind.UNREADABLE_RESPONSE, 200, null, "the gateway answered without base64", null));
        }
        byte[] data;
        try {
            data = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new GatewayException(request.failure(Kind.UNREADABLE_RESPONSE, 200, null, "the media's base64 is not valid", null));
        }
        if (data.length > maxMediaBytes) {
            throw new GatewayException(request.failure(Kind.TOO_LARGE, 200, null,
                    "the media has " + data.length + " bytes; at most " + maxMediaBytes + " can be proxied", null));
        }
        return new FetchedMedia.Bytes(data, Calls.text(answer, "mimetype"), Calls.text(answer, "fileName"));
    }

    @Override
    public RegistrationResult registerWebhook(WebhookRegistration registration) {
        ObjectNode body = Json.object();
        ObjectNode webhook = body.putObject("webhook")
                .put("enabled", true)
                .put("url", registration.url())
                // One URL for every event, so the session's URL stays /webhooks/{sessionId}; no media inline.
                .put("byEvents", false)
                .put("base64", false);
        // With jwt_key among the headers Evolution signs each webhook: Authorization: Bearer <HS256 JWT>.
        webhook.putObject("headers").put("jwt_key", registration.secret().reveal());
        ArrayNode events = webhook.putArray("events");
        (registration.events().isEmpty() ? DEFAULT_EVENTS : registration.events()).forEach(events::add);
        GatewayRequest request = GatewayRequest.json(Provider.EVOLUTION, "registerWebhook", "POST",
                Calls.uri(baseUrl, "webhook", "set", instance), Map.of("apikey", apiKey.reveal()), body, true,
                List.of(apiKey, registration.secret()));
        expectSuccess(request, http.execute(request));
        return RegistrationResult.registered("Evolution instance " + instance + " posts " + events.size()
                + " events to the webhook URL, signed with an HS256 JWT (jwt_key)");
    }

    private JsonNode post(String operation, URI uri, ObjectNode body, boolean idempotent) {
        GatewayRequest request = GatewayRequest.json(Provider.EVOLUTION, operation, "POST", uri,
                Map.of("apikey", apiKey.reveal()), body, idempotent, List.of(apiKey));
        return expectSuccess(request, http.execute(request));
    }

    private JsonNode expectSuccess(GatewayRequest request, GatewayResponse response) {
        JsonNode body = response.json();
        if (response.isSuccess()) {
            return body;
        }
        JsonNode message = body.path("response").path("message");
        JsonNode missing = notOnWhatsApp(message);
        if (missing != null) {
            String number = Calls.text(missing, "number");
            throw Calls.failed(request, response, Kind.NOT_ON_WHATSAPP, "exists:false",
                    "the number " + (number == null ? Calls.text(missing, "jid") : number) + " is not on WhatsApp");
        }
        String reason = Calls.messages(message);
        if (reason == null) {
            reason = Calls.text(body, "error");
        }
        Kind kind = Calls.kindForStatus(response.status());
        if (kind == Kind.UNAVAILABLE && reason != null && reason.toLowerCase(Locale.ROOT).contains("connection closed")) {
            kind = Kind.SESSION_NOT_CONNECTED;
        }
        throw Calls.failed(request, response, kind, Calls.text(body, "error"), reason);
    }

    /** Evolution answers 400 with the number check itself, {@code [{jid, exists:false, number}]}, for a number without WhatsApp. */
    private static JsonNode notOnWhatsApp(JsonNode message) {
        if (message.isArray()) {
            for (JsonNode item : message) {
                if (item.isObject() && item.path("exists").isBoolean() && !item.path("exists").booleanValue()) {
                    return item;
                }
            }
        }
        return null;
    }

    private static SendResult sent(String operation, JsonNode answer) {
        String id = Calls.text(answer, "key", "id");
        if (id == null) {
            throw new GatewayException(new GatewayFailure(Provider.EVOLUTION, operation, Kind.UNREADABLE_RESPONSE, 200, null,
                    "the gateway answered without key.id", null));
        }
        return new SendResult(id, Calls.text(answer, "key", "remoteJid"));
    }

    private static String number(String to) {
        String value = Calls.require(to, "recipient").trim();
        return value.contains("@g.us") || value.contains("@lid") ? value : Calls.digits(value);
    }

    private static void quote(ObjectNode body, String replyToMessageId) {
        if (replyToMessageId != null && !replyToMessageId.isBlank()) {
            body.putObject("quoted").putObject("key").put("id", replyToMessageId);
        }
    }
}
