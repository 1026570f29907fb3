package io.inboxrelay.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Meta's WhatsApp Cloud API: a bearer access token; {@code POST /{version}/{phone-number-id}/messages} for text, media
 * and read receipts, {@code GET /{version}/{media-id}} for a media URL fetched with the same token, Graph API errors
 * {@code {error:{message, type, code, fbtrace_id}}}. Meta posts no echo of a sent message, only its {@code statuses}
 * (sent, delivered, read), signed with the app secret.
 */
final class MetaSimulator extends SimulatedGateway {

    /** The simulated WhatsApp Business Account every phone number belongs to. */
    static final String WABA_ID = "102290129340398";

    MetaSimulator(GatewaySimulator simulator) {
        super(simulator);
    }

    @Override
    Provider provider() {
        return Provider.META;
    }

    @Override
    String basePath() {
        return "meta";
    }

    @Override
    boolean authorized(Request request) {
        return ("Bearer " + simulator.apiKey()).equals(request.header("authorization"));
    }

    @Override
    Answer unauthorized() {
        return error(401, "Invalid OAuth access token - Cannot parse access token", "OAuthException", 190);
    }

    @Override
    Answer notFound(Request request) {
        return error(400, "Unsupported " + request.method().toLowerCase(java.util.Locale.ROOT) + " request. Object with ID '"
                + String.join("/", request.segments()) + "' does not exist", "GraphMethodException", 100);
    }

    private static Answer error(int status, String message, String type, int code) {
        ObjectNode body = Json.object();
        body.putObject("error").put("message", message).put("type", type).put("code", code).put("fbtrace_id", "A" + randomHex(10));
        return Answer.json(status, body);
    }

    @Override
    Answer handle(Request request) {
        if (request.is("POST", "*", "*", "messages")) {
            return messages(request.segments().get(1), request.json());
        }
        if (request.is("GET", "*", "*") && request.segments().get(0).startsWith("v")) {
            return simulator.media(request.segments().get(1)).map(this::mediaInfo).orElse(null);
        }
        if (request.is("GET", "media", "*")) {
            return simulator.media(request.segments().get(1)).map(media -> new Answer(200, media.mimeType(), media.bytes())).orElse(null);
        }
        return null;
    }

    private Answer messages(String phoneNumberId, JsonNode body) {
        if ("read".equals(text(body, "status"))) {
            return text(body, "message_id") == null
                    ? error(400, "(#100) The parameter message_id is required.", "OAuthException", 100)
                    : Answer.json(200, "{\"success\":true}");
        }
        String to = text(body, "to");
        String type = text(body, "type") == null ? "text" : text(body, "type");
        if (to == null) {
            return error(400, "(#100) The parameter to is required.", "OAuthException", 100);
        }
        Answer refused = scripted(phoneNumberId, to, body);
        if (refused != null) {
            return refused;
        }
        String id = "wamid." + Base64.getEncoder().encodeToString(("HBgM" + digits(to) + randomHex(9)).getBytes(StandardCharsets.UTF_8));
        String text = null;
        StoredMedia media = null;
        if (type.equals("text")) {
            text = body.path("text").path("body").asText(null);
            if (text == null) {
                return error(400, "(#100) The parameter text['body'] is required.", "OAuthException", 100);
            }
        } else {
            JsonNode object = body.path(type);
            String link = text(object, "link");
            if (link == null) {
                return error(400, "(#100) The parameter " + type + "['link'] is required.", "OAuthException", 100);
            }
            try {
                media = simulator.download(link, null, text(object, "filename"), id,
                        Long.toString(1_000_000_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000_000_000L)));
            } catch (IOException e) {
                return error(400, "(#131053) Media upload error: " + e.getMessage(), "OAuthException", 131053);
            }
            text = text(object, "caption");
        }
        SentMessage sent = new SentMessage(simulator.sessionOrNew(Provider.META, phoneNumberId), id, digits(to), text, media,
                Instant.now().getEpochSecond());
        simulator.sent(this, sent);
        ObjectNode answer = Json.object().put("messaging_product", "whatsapp");
        answer.putArray("contacts").addObject().put("input", to).put("wa_id", digits(to));
        answer.putArray("messages").addObject().put("id", id);
        return answered(to, Answer.json(200, answer));
    }

    /** As the Cloud API answers (support/error-codes): the Graph error envelope with the documented code and details. */
    @Override
    Answer refusal(Script script, String session, String recipient) {
        return switch (script) {
            case NOT_ON_WHATSAPP -> error(400, "(#131026) Message undeliverable", 131026,
                    "Message could not be delivered: the recipient's phone number is not a WhatsApp phone number.");
            case OUTSIDE_WINDOW -> error(400, "(#131047) Re-engagement message", 131047, Script.OUTSIDE_WINDOW_REASON);
            case RATE_LIMITED -> error(429, "(#130429) Rate limit hit", 130429,
                    "Cloud API message throughput has been reached.").withHeader("Retry-After", "1");
            case UNAVAILABLE -> error(503, "(#131000) Something went wrong", 131000, "Message failed to send due to an unknown error.");
            case DISCONNECTED -> error(400, "(#133010) Account not registered", 133010,
                    "The phone number is not registered on the WhatsApp Business Platform.");
            case SLOW -> throw new IllegalArgumentException("a slow send is not refused");
        };
    }

    private static Answer error(int status, String message, int code, String details) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error").put("message", message).put("type", "OAuthException").put("code", code);
        error.putObject("error_data").put("messaging_product", "whatsapp").put("details", details);
        error.put("fbtrace_id", "A" + randomHex(10));
        return Answer.json(status, body);
    }

    private Answer mediaInfo(StoredMedia media) {
        ObjectNode answer = Json.object().put("messaging_product", "whatsapp")
                .put("url", simulator.baseUrl(Provider.META) + "/media/" + media.mediaId() + "?ext=" + randomHex(4))
                .put("mime_type", media.mimeType()).put("sha256", sha256(media.bytes()))
                .put("file_size", media.bytes().length).put("id", media.mediaId());
        return Answer.json(200, answer);
    }

    @Override
    byte[] echo(SentMessage message) {
        return status(message, "sent");
    }

    @Override
    byte[] receipt(SentMessage message, Receipt receipt) {
        return status(message, receipt == Receipt.READ ? "read" : "delivered");
    }

    private byte[] status(SentMessage message, String status) {
        ObjectNode value = value(message.session());
        value.putArray("statuses").addObject().put("id", message.id()).put("status", status)
                .put("timestamp", Long.toString(Instant.now().getEpochSecond())).put("recipient_id", message.chat());
        return envelope(value);
    }

    @Override
    byte[] leadMessage(SimulatedSession session, String chat, String id, String text, long epochSeconds) {
        ObjectNode value = value(session);
        value.putArray("contacts").addObject().put("wa_id", digits(chat)).putObject("profile").put("name", "Simulated Lead");
        ObjectNode message = value.putArray("messages").addObject().put("from", digits(chat))
                .put("id", "wamid." + Base64.getEncoder().encodeToString(("HBgM" + digits(chat) + id).getBytes(StandardCharsets.UTF_8)))
                .put("timestamp", Long.toString(epochSeconds)).put("type", "text");
        message.putObject("text").put("body", text);
        return envelope(value);
    }

    private static ObjectNode value(SimulatedSession session) {
        ObjectNode value = Json.object().put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", OWNER_DIGITS).put("phone_number_id", session.gatewaySession());
        return value;
    }

    private static byte[] envelope(ObjectNode value) {
        ObjectNode body = Json.object().put("object", "whatsapp_business_account");
        ObjectNode change = body.putArray("entry").addObject().put("id", WABA_ID).putArray("changes").addObject();
        change.set("value", value);
        change.put("field", "messages");
        return Json.write(body).getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
