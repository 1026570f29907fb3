package io.inboxrelay.core.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.outbound.GatewayFailure.Kind;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * WAHA (devlikeapro/waha): one session, authenticated by the {@code X-Api-Key} header. Request shapes from
 * {@code src/api/chatting.controller.ts}, {@code src/structures/chatting.dto.ts}, {@code src/structures/files.dto.ts},
 * {@code src/api/sessions.controller.ts} and {@code src/structures/webhooks.config.dto.ts}; the 422 "session status
 * is not as expected" answer from {@code src/core/abc/manager.abc.ts}.
 */
public final class WahaClient implements GatewayClient {

    /** Messages in and out ({@code message.any} carries the echo of a send), receipts, changes, and the session's state. */
    static final List<String> DEFAULT_EVENTS = List.of("message.any", "message.ack", "message.reaction", "message.revoked",
            "message.edited", "session.status");

    private final GatewayHttp http;
    private final URI baseUrl;
    private final Credential apiKey;
    private final String session;

    public WahaClient(GatewayHttp http, URI baseUrl, Credential apiKey, String session) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.session = Calls.require(session, "session");
    }

    @Override
    public Provider provider() {
        return Provider.WAHA;
    }

    @Override
    public SendResult sendText(String to, String text, String replyToMessageId) {
        ObjectNode body = Json.object().put("session", session).put("chatId", chatId(to)).put("text", Calls.require(text, "text"));
        Calls.putIfPresent(body, "reply_to", replyToMessageId);
        return sent("sendText", body);
    }

    @Override
    public SendResult sendMedia(String to, OutboundMedia media, String replyToMessageId) {
        String endpoint = switch (media.kind()) {
            case IMAGE -> "sendImage";
            case VOICE -> "sendVoice";
            case VIDEO -> "sendVideo";
            case AUDIO, DOCUMENT -> "sendFile";
        };
        ObjectNode body = Json.object().put("session", session).put("chatId", chatId(to));
        ObjectNode file = body.putObject("file").put("url", media.url());
        Calls.putIfPresent(file, "mimetype", media.mimeType());
        Calls.putIfPresent(file, "filename", media.fileName());
        if (media.kind() != MediaKind.VOICE) {
            Calls.putIfPresent(body, "caption", media.caption());
        }
        Calls.putIfPresent(body, "reply_to", replyToMessageId);
        return sent(endpoint, body);
    }

    @Override
    public void markRead(String chat, List<String> messageIds) {
        ObjectNode body = Json.object().put("session", session).put("chatId", chatId(chat));
        if (messageIds != null && !messageIds.isEmpty()) {
            ArrayNode ids = body.putArray("messageIds");
            messageIds.forEach(ids::add);
        }
        call("markRead", "POST", Calls.uri(baseUrl, "api", "sendSeen"), body, true, List.of(apiKey));
    }

    /**
     * WAHA serves a message's media at the {@code media.url} of its webhook ({@code /api/files/…}), behind the same key.
     * That URL is rebased onto the configured base URL, so the key only ever goes to the gateway it belongs to
     * (WAHA often advertises {@code localhost:3000}); a URL elsewhere (S3 storage) is streamed without the key.
     */
    @Override
    public FetchedMedia fetchMedia(MediaReference reference) {
        String url = reference.mediaUrl();
        if (url == null || url.isBlank()) {
            throw new GatewayException(new GatewayFailure(Provider.WAHA, "fetchMedia", Kind.NOT_FOUND, 0, null,
                    "the message carries no media.url (WAHA downloads media only when the session's config asks for it)", null));
        }
        URI media = URI.create(url);
        String path = media.getRawPath() == null ? "" : media.getRawPath();
        if (path.startsWith("/api/files/")) {
            URI rebased = Calls.uri(baseUrl, path + (media.getRawQuery() == null ? "" : "?" + media.getRawQuery()));
            return new FetchedMedia.Link(rebased, "X-Api-Key", apiKey, reference.mimeType(), -1);
        }
        return new FetchedMedia.Link(media, null, null, reference.mimeType(), -1);
    }

    /**
     * Sets this system's webhook in the session's config, keeping the session's other webhooks and settings: WAHA's
     * {@code PUT /api/sessions/{session}} replaces the whole config, so it is read first. WAHA restarts a running
     * session to apply it.
     */
    @Override
    public RegistrationResult registerWebhook(WebhookRegistration registration) {
        List<Credential> secrets = List.of(apiKey, registration.secret());
        GatewayRequest read = GatewayRequest.get(Provider.WAHA, "readSession", Calls.uri(baseUrl, "api", "sessions", session),
                Map.of("X-Api-Key", apiKey.reveal(), "Accept", "application/json"), GatewayRequest.DEFAULT_MAX_RESPONSE, secrets);
        JsonNode current = expectSuccess(read, http.execute(read));
        ObjectNode config = current.path("config").isObject() ? ((ObjectNode) current.get("config")).deepCopy() : Json.object();
        ArrayNode webhooks = Json.MAPPER.createArrayNode();
        for (JsonNode existing : config.path("webhooks")) {
            if (!registration.url().equals(Calls.text(existing, "url"))) {
                webhooks.add(existing);
            }
        }
        ObjectNode ours = webhooks.addObject().put("url", registration.url());
        ArrayNode events = ours.putArray("events");
        (registration.events().isEmpty() ? DEFAULT_EVENTS : registration.events()).forEach(events::add);
        ours.putObject("hmac").put("key", registration.secret().reveal());
        config.set("webhooks", webhooks);
        ObjectNode body = Json.object().put("name", session);
        body.set("config", config);
        call("registerWebhook", "PUT", Calls.uri(baseUrl, "api", "sessions", session), body, true, secrets);
        return RegistrationResult.registered("WAHA session " + session + " posts " + events.size()
                + " events to the webhook URL, signed with HMAC-SHA512 (X-Webhook-Hmac); WAHA restarts the session to apply it");
    }

    private SendResult sent(String endpoint, ObjectNode body) {
        JsonNode answer = call(endpoint, "POST", Calls.uri(baseUrl, "api", endpoint), body, false, List.of(apiKey));
        String id = messageId(answer);
        if (id == null) {
            throw new GatewayException(new GatewayFailure(Provider.WAHA, endpoint, Kind.UNREADABLE_RESPONSE, 200, null,
                    "the gateway answered without a message id", null));
        }
        return new SendResult(id, body.get("chatId").textValue());
    }

    /**
     * The id WAHA's webhooks will use for this message, {@code true_<chat>_<id>}. The engines answer differently:
     * WEBJS a serialized {@code id} (or {@code id._serialized}), NOWEB/GOWS the Baileys {@code key}.
     */
    static String messageId(JsonNode answer) {
        JsonNode id = answer.get("id");
        if (id != null && id.isTextual() && !id.textValue().isBlank()) {
            return id.textValue();
        }
        String serialized = Calls.text(answer, "id", "_serialized");
        if (serialized == null) {
            serialized = Calls.text(answer, "_data", "id", "_serialized");
        }
        if (serialized != null) {
            return serialized;
        }
        String keyId = Calls.text(answer, "key", "id");
        String remote = Calls.text(answer, "key", "remoteJid");
        if (keyId == null) {
            return null;
        }
        return remote == null ? keyId : "true_" + remote.replace("@s.whatsapp.net", "@c.us") + "_" + keyId;
    }

    private JsonNode call(String operation, String method, URI uri, ObjectNode body, boolean idempotent, List<Credential> secrets) {
        GatewayRequest request = GatewayRequest.json(Provider.WAHA, operation, method, uri, Map.of("X-Api-Key", apiKey.reveal()),
                body, idempotent, secrets);
        return expectSuccess(request, http.execute(request));
    }

    /** What WAHA's engines throw when a number has no WhatsApp account behind it. */
    static final String NO_LID = "No LID for user";

    private static JsonNode expectSuccess(GatewayRequest request, GatewayResponse response) {
        JsonNode body = response.json();
        if (response.isSuccess()) {
            return body;
        }
        // NestJS answers {statusCode, message, error}; the session check answers 422 {error, session, status, expected}.
        String reason = Calls.messages(body.get("message"));
        String error = Calls.text(body, "error");
        String status = Calls.text(body, "status");
        if (response.status() == 422 && status != null) {
            throw Calls.failed(request, response, Kind.SESSION_NOT_CONNECTED, status,
                    (error == null ? "the session is not ready" : error) + " (session status " + status + ")");
        }
        if (reason == null) {
            reason = error;
        }
        if (reason == null) {
            reason = Calls.text(body, "exception", "message");
        }
        if (reason != null && reason.contains(NO_LID)) {
            // WAHA has no error of its own for a number without WhatsApp: the engine's lookup throws, Nest answers 500
            // (devlikeapro/waha#2094). Retrying cannot help.
            throw Calls.failed(request, response, Kind.NOT_ON_WHATSAPP, null, "this number is not on WhatsApp (WAHA: " + reason + ")");
        }
        throw Calls.failed(request, response, Calls.kindForStatus(response.status()), null, reason);
    }

    private static String chatId(String to) {
        return Calls.jid(to, "c.us");
    }
}
