package io.inboxrelay.core.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.outbound.GatewayFailure.Kind;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Meta's WhatsApp Cloud API: one business phone number, a bearer access token. Sends and read receipts are
 * {@code POST /{version}/{phone-number-id}/messages}; media is {@code GET /{version}/{media-id}} for a short-lived
 * URL, fetched with the same token. Errors are Graph API errors {@code {error:{message, type, code, error_data:{details}}}},
 * classified by {@link MetaErrors}.
 */
public final class MetaCloudClient implements GatewayClient {

    public static final URI DEFAULT_BASE_URL = URI.create("https://graph.facebook.com");
    public static final String DEFAULT_VERSION = "v23.0";

    private final GatewayHttp http;
    private final URI baseUrl;
    private final String version;
    private final String phoneNumberId;
    private final Credential accessToken;

    public MetaCloudClient(GatewayHttp http, URI baseUrl, String version, String phoneNumberId, Credential accessToken) {
        this.http = http;
        this.baseUrl = baseUrl == null ? DEFAULT_BASE_URL : baseUrl;
        this.version = version == null || version.isBlank() ? DEFAULT_VERSION : version;
        this.phoneNumberId = Calls.require(phoneNumberId, "phone number id");
        this.accessToken = accessToken;
    }

    @Override
    public Provider provider() {
        return Provider.META;
    }

    @Override
    public SendResult sendText(String to, String text, String replyToMessageId) {
        ObjectNode body = envelope(to, "text");
        body.putObject("text").put("body", Calls.require(text, "text")).put("preview_url", false);
        context(body, replyToMessageId);
        return sent("sendText", body);
    }

    @Override
    public SendResult sendMedia(String to, OutboundMedia media, String replyToMessageId) {
        String type = switch (media.kind()) {
            case IMAGE -> "image";
            case VIDEO -> "video";
            case AUDIO, VOICE -> "audio";
            case DOCUMENT -> "document";
        };
        ObjectNode body = envelope(to, type);
        ObjectNode object = body.putObject(type).put("link", media.url());
        if (!"audio".equals(type) && media.caption() != null && !media.caption().isBlank()) {
            object.put("caption", media.caption());
        }
        if ("document".equals(type) && media.fileName() != null && !media.fileName().isBlank()) {
            object.put("filename", media.fileName());
        }
        context(body, replyToMessageId);
        return sent("sendMedia", body);
    }

    /** Marking the latest message read marks the earlier ones of the conversation read too, so one call suffices. */
    @Override
    public void markRead(String chat, List<String> messageIds) {
        if (messageIds == null || messageIds.isEmpty()) {
            throw new IllegalArgumentException("at least one message id is required");
        }
        ObjectNode body = Json.object().put("messaging_product", "whatsapp").put("status", "read")
                .put("message_id", messageIds.get(messageIds.size() - 1));
        post("markRead", body, true);
    }

    @Override
    public FetchedMedia fetchMedia(MediaReference reference) {
        String mediaId = Calls.require(reference.mediaId(), "media id");
        GatewayRequest request = GatewayRequest.get(Provider.META, "fetchMedia", Calls.uri(baseUrl, version, mediaId),
                Map.of("Authorization", "Bearer " + accessToken.reveal(), "Accept", "application/json"),
                GatewayRequest.DEFAULT_MAX_RESPONSE, List.of(accessToken));
        JsonNode answer = expectSuccess(request, http.execute(request));
        String url = Calls.text(answer, "url");
        if (url == null) {
            throw new GatewayException(request.failure(Kind.UNREADABLE_RESPONSE, 200, null, "the gateway answered without url", null));
        }
        long size = answer.path("file_size").asLong(-1);
        // The URL lives five minutes and needs the same bearer token.
        return new FetchedMedia.Link(URI.create(url), "Authorization", Credential.of("Bearer " + accessToken.reveal()),
                Calls.text(answer, "mime_type"), size);
    }

    @Override
    public RegistrationResult registerWebhook(WebhookRegistration registration) {
        return RegistrationResult.notSupported("configure in the Meta app dashboard: WhatsApp > Configuration, set the "
                + "callback URL and the session's verify token, subscribe to the messages field, and subscribe the app to the "
                + "WhatsApp Business Account (POST /{waba-id}/subscribed_apps)");
    }

    private ObjectNode envelope(String to, String type) {
        return Json.object().put("messaging_product", "whatsapp").put("recipient_type", "individual")
                .put("to", Calls.digits(Calls.require(to, "recipient"))).put("type", type);
    }

    private static void context(ObjectNode body, String replyToMessageId) {
        if (replyToMessageId != null && !replyToMessageId.isBlank()) {
            body.putObject("context").put("message_id", replyToMessageId);
        }
    }

    private SendResult sent(String operation, ObjectNode body) {
        JsonNode answer = post(operation, body, false);
        String id = Calls.text(answer.path("messages").path(0), "id");
        if (id == null) {
            throw new GatewayException(new GatewayFailure(Provider.META, operation, Kind.UNREADABLE_RESPONSE, 200, null,
                    "the gateway answered without messages[0].id", null));
        }
        return new SendResult(id, Calls.text(answer.path("contacts").path(0), "wa_id"));
    }

    private JsonNode post(String operation, ObjectNode body, boolean idempotent) {
        GatewayRequest request = GatewayRequest.json(Provider.META, operation, "POST",
                Calls.uri(baseUrl, version, phoneNumberId, "messages"),
                Map.of("Authorization", "Bearer " + accessToken.reveal()), body, idempotent, List.of(accessToken));
        return expectSuccess(request, http.execute(request));
    }

    private static JsonNode expectSuccess(GatewayRequest request, GatewayResponse response) {
        JsonNode body = response.json();
        if (response.isSuccess()) {
            return body;
        }
        JsonNode error = body.path("error");
        String code = Calls.text(error, "code");
        String details = Calls.text(error, "error_data", "details");
        String message = Calls.text(error, "message");
        Kind kind = MetaErrors.kind(code, response.status());
        String reason = MetaErrors.reason(code, message, details);
        throw Calls.failed(request, response, kind, code, reason);
    }
}
