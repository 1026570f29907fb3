package io.inboxrelay.local.cli;

import io.inboxrelay.core.signature.WebhookSigner;
import io.inboxrelay.local.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** What a gateway does to the local stack: signed (or badly signed) webhooks. */
final class StackClient {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private StackClient() {
    }

    static int post(LocalStack stack, String sessionId, String secret, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.httpUrl() + "/webhooks/" + sessionId))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        WebhookSigner.hmacSha256BodyOnly(secret, body).forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    static byte[] message(String text) {
        Instant now = Instant.now();
        return ("{\"event\":\"message.received\",\"timestamp\":" + now.getEpochSecond()
                + ",\"message\":{\"id\":\"m-" + System.nanoTime() + "\",\"from\":\"+573001234567\",\"name\":\"Ana Lead\","
                + "\"text\":\"" + text + "\",\"timestamp\":" + now.getEpochSecond() + "}}").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] sessionDisconnected() {
        return ("{\"event\":\"session.disconnected\",\"timestamp\":" + Instant.now().getEpochSecond() + ",\"reason\":\"loggedOut\"}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
