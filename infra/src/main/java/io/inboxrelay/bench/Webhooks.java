package io.inboxrelay.bench;

import io.inboxrelay.core.signature.WebhookSigner;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Signed Inbox Hub webhooks ({@code message.received}) as a bridge posts them: each with its own
 * message id, spread over a number of conversations (one per lead phone number).
 */
public final class Webhooks {

    private final URI url;
    private final String secret;

    public Webhooks(URI webhookUrl, String secret) {
        this.url = webhookUrl;
        this.secret = secret;
    }

    public static byte[] body(String messageId, int conversation, Instant now) {
        String phone = phone(conversation);
        return ("{\"event\":\"message.received\",\"session\":\"bench\",\"timestamp\":" + now.getEpochSecond()
                + ",\"message\":{\"id\":\"" + messageId + "\",\"from\":\"" + phone + "\",\"fromMe\":false,"
                + "\"name\":\"Lead " + conversation + "\",\"text\":\"Hola, ¿tienen disponibilidad mañana? (" + messageId + ")\","
                + "\"timestamp\":" + now.getEpochSecond() + "}}").getBytes(StandardCharsets.UTF_8);
    }

    /** The lead's phone number of a conversation: one number (so one conversation) per index. */
    public static String phone(int conversation) {
        return String.format(java.util.Locale.ROOT, "+5730%08d", conversation);
    }

    public Map<String, String> headers(byte[] body) {
        return WebhookSigner.hmacSha256BodyOnly(secret, body);
    }

    public HttpRequest request(String messageId, int conversation) {
        byte[] body = body(messageId, conversation, Instant.now());
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers(body).forEach(request::header);
        return request.build();
    }
}
