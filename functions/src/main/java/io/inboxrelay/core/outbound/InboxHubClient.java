package io.inboxrelay.core.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.outbound.GatewayFailure.Kind;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A generic Inbox Hub / Baileys bridge: the send contract of {@code docs/generic-webhook-format.md} ("Sending"), and
 * the seed's {@code PUT /api/sessions/{id}/webhook} with {@code X-API-Key} (Xappiens/xappiens_whatsapp,
 * {@code xappiens_whatsapp/api/session.py}).
 */
public final class InboxHubClient implements GatewayClient {

    static final List<String> DEFAULT_EVENTS = List.of("message.received", "message.sent", "message.ack", "message.reaction",
            "message.edited", "message.deleted", "session.connected", "session.disconnected", "session.qr");

    private static final Map<String, Kind> CODES = Map.of(
            "not_on_whatsapp", Kind.NOT_ON_WHATSAPP,
            "session_not_connected", Kind.SESSION_NOT_CONNECTED,
            "rate_limited", Kind.RATE_LIMITED,
            "unauthorized", Kind.UNAUTHORIZED,
            "not_found", Kind.NOT_FOUND,
            "invalid_request", Kind.REJECTED,
            "media_too_large", Kind.TOO_LARGE);

    private final GatewayHttp http;
    private final URI baseUrl;
    private final Credential apiKey;
    private final String sessionId;

    public InboxHubClient(GatewayHttp http, URI baseUrl, Credential apiKey, String sessionId) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.sessionId = Calls.require(sessionId, "session id");
    }

    @Override
    public Provider provider() {
        return Provider.INBOX_HUB;
    }

    @Override
    public SendResult sendText(String to, String text, String replyToMessageId) {
        ObjectNode body = Json.object().put("to", Calls.require(to, "recipient")).put("text", Calls.require(text, "text"));
        Calls.putIfPresent(body, "reply_to", replyToMessageId);
        return sent("sendText", body);
    }

    @Override
    public SendResult sendMedia(String to, OutboundMedia media, String replyToMessageId) {
        ObjectNode body = Json.object().put("to", Calls.require(to, "recipient"));
        Calls.putIfPresent(body, "reply_to", replyToMessageId);
        ObjectNode object = body.putObject("media").put("type", media.kind().wireName()).put("url", media.url());
        Calls.putIfPresent(object, "mimetype", media.mimeType());
        Calls.putIfPresent(object, "filename", media.fileName());
        Calls.putIfPresent(object, "caption", media.caption());
        return sent("sendMedia", body);
    }

    @Override
    public void markRead(String chat, List<String> messageIds) {
        if (messageIds == null || messageIds.isEmpty()) {
            throw new IllegalArgumentException("at least one message id is required");
        }
        ObjectNode body = Json.object().put("chat", Calls.require(chat, "chat"));
        ArrayNode ids = body.putArray("message_ids");
        messageIds.forEach(ids::add);
        call("markRead", "POST", Calls.uri(baseUrl, "api", "sessions", sessionId, "read"), body, true, List.of(apiKey));
    }

    @Override
    public FetchedMedia fetchMedia(MediaReference reference) {
        URI url = Calls.uri(baseUrl, "api", "sessions", sessionId, "messages",
                Calls.require(reference.messageId(), "messageId"), "media");
        return new FetchedMedia.Link(url, "X-API-Key", apiKey, reference.mimeType(), -1);
    }

    /**
     * The seed's bridge reads {@code webhookUrl}/{@code webhookSecret}; the documented contract names them
     * {@code url}/{@code secret} with {@code events}. Both spellings are sent, so either kind of bridge understands it.
     */
    @Override
    public RegistrationResult registerWebhook(WebhookRegistration registration) {
        String secret = registration.secret().reveal();
        ObjectNode body = Json.object()
                .put("url", registration.url()).put("secret", secret)
                .put("webhookUrl", registration.url()).put("webhookSecret", secret);
        ArrayNode events = body.putArray("events");
        (registration.events().isEmpty() ? DEFAULT_EVENTS : registration.events()).forEach(events::add);
        call("registerWebhook", "PUT", Calls.uri(baseUrl, "api", "sessions", sessionId, "webhook"), body, true,
                List.of(apiKey, registration.secret()));
        return RegistrationResult.registered("Inbox Hub session " + sessionId + " posts to the webhook URL, signed with "
                + "X-Webhook-Signature: sha256=HMAC-SHA256(secret, body)");
    }

    private SendResult sent(String operation, ObjectNode body) {
        JsonNode answer = call(operation, "POST", Calls.uri(baseUrl, "api", "sessions", sessionId, "messages"), body, false,
                List.of(apiKey));
        String id = Calls.text(answer, "id");
        if (id == null) {
            id = Calls.text(answer, "message_id");
        }
        if (id == null) {
            throw new GatewayException(new GatewayFailure(Provider.INBOX_HUB, operation, Kind.UNREADABLE_RESPONSE, 200, null,
                    "the gateway answered without id", null));
        }
        return new SendResult(id, Calls.text(answer, "chat"));
    }

    private JsonNode call(String operation, String method, URI uri, ObjectNode body, boolean idempotent, List<Credential> secrets) {
        GatewayRequest request = GatewayRequest.json(Provider.INBOX_HUB, operation, method, uri,
                Map.of("X-API-Key", apiKey.reveal()), body, idempotent, secrets);
        return expectSuccess(request, http.execute(request));
    }

    /** {@code {error:{code, message}}} as documented; the seed's bridges answer {@code {error: "…"}} or {@code {message}}. */
    private static JsonNode expectSuccess(GatewayRequest request, GatewayResponse response) {
        JsonNode body = response.json();
        if (response.isSuccess()) {
            return body;
        }
        JsonNode error = body.path("error");
        String code = error.isObject() ? Calls.text(error, "code") : null;
        String reason = error.isObject() ? Calls.text(error, "message") : Calls.text(body, "error");
        if (reason == null) {
            reason = Calls.text(body, "message");
        }
        Kind kind = code == null ? null : CODES.get(code.toLowerCase(Locale.ROOT));
        throw Calls.failed(request, response, kind == null ? Calls.kindForStatus(response.status()) : kind, code, reason);
    }
}
