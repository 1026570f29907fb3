package io.inboxrelay.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.readapi.BadRequestException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/conversations/{id}/messages}, checked: every refusal says what is wrong.
 *
 * @param clientId the page's id of the reply (8–64 of {@code [A-Za-z0-9_-]}): the message id is {@code out-<clientId>}
 * @param text     the text, or the caption of the media; null only with media
 * @param replyTo  the message id it quotes, or null
 * @param mediaUrl where the gateway downloads the media from, or null
 * @param mediaType its MIME type, or null
 * @param fileName the name a document is shown with, or null
 */
public record SendRequest(String clientId, String text, String replyTo, String mediaUrl, String mediaType, String fileName) {

    /** WhatsApp's own limit for a text message. */
    public static final int MAX_TEXT_CHARS = 4_096;
    static final int MAX_URL_CHARS = 2_048;
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    private static final Pattern MIME_TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,127}");
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1");

    /** @throws BadRequestException when the body is not a send request this API takes */
    public static SendRequest parse(byte[] body) {
        JsonNode node;
        try {
            node = Json.parse(new String(body, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw new BadRequestException("the body must be a JSON object: {\"client_id\": …, \"text\": …}");
        }
        String clientId = string(node, "client_id");
        if (clientId == null || !CLIENT_ID.matcher(clientId).matches()) {
            throw new BadRequestException("client_id is required: 8 to 64 characters of A-Z, a-z, 0-9, '_' and '-' (a UUID)");
        }
        String mediaUrl = string(node, "media_url");
        if (mediaUrl != null) {
            checkMediaUrl(mediaUrl);
        }
        String text = string(node, "text");
        if (text != null && text.isBlank()) {
            if (mediaUrl == null) {
                throw new BadRequestException("text is blank: write something, or send media_url");
            }
            text = null;
        }
        if (text == null && mediaUrl == null) {
            throw new BadRequestException("text is required (or media_url, with text as its caption)");
        }
        if (text != null && text.codePointCount(0, text.length()) > MAX_TEXT_CHARS) {
            throw new BadRequestException("text has more than " + MAX_TEXT_CHARS + " characters, WhatsApp's limit");
        }
        String mediaType = string(node, "media_type");
        if (mediaType != null) {
            mediaType = mediaType.trim().toLowerCase(Locale.ROOT);
            if (mediaUrl == null) {
                throw new BadRequestException("media_type is given without media_url");
            }
            if (!MIME_TYPE.matcher(mediaType).matches()) {
                throw new BadRequestException("media_type must be a MIME type such as image/jpeg");
            }
        }
        String fileName = string(node, "file_name");
        if (fileName != null && (mediaUrl == null || fileName.isBlank() || fileName.length() > 255)) {
            throw new BadRequestException(mediaUrl == null ? "file_name is given without media_url" : "file_name must be 1 to 255 characters");
        }
        String replyTo = string(node, "reply_to");
        if (replyTo != null && (replyTo.isBlank() || replyTo.length() > 256)) {
            throw new BadRequestException("reply_to must be the id of a message of this conversation");
        }
        return new SendRequest(clientId, text, replyTo, mediaUrl, mediaType, fileName);
    }

    /** {@code out-<clientId>}: the client id is the idempotency key, so the message id follows from it. */
    public String messageId() {
        return "out-" + clientId;
    }

    private static void checkMediaUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("media_url is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (url.length() > MAX_URL_CHARS || host.isEmpty()) {
            throw new BadRequestException("media_url must be an https URL of at most " + MAX_URL_CHARS + " characters");
        }
        if (uri.getRawUserInfo() != null) {
            throw new BadRequestException("media_url must not carry a user name or password");
        }
        if (!scheme.equals("https") && !(scheme.equals("http") && LOOPBACK_HOSTS.contains(host))) {
            throw new BadRequestException("media_url must be https (plain http only to localhost or 127.0.0.1)");
        }
    }

    private static String string(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new BadRequestException(field + " must be a string");
        }
        return value.asText();
    }
}
