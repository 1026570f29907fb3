package io.inboxrelay.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.inboxrelay.core.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Secrets Manager's GetSecretValue for one secret, on loopback, in its own wire protocol (AWS JSON
 * 1.1), so the functions' real SDK client reads the JWT secret as it does in AWS. Versions are
 * addressed by stage; {@link #rotate} moves AWSCURRENT to AWSPREVIOUS as a rotation does.
 */
final class FakeSecretsManager implements AutoCloseable {

    static final String ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:inbox-relay/jwt-AbC123";

    private final HttpServer server;
    private final Map<String, String> stages = new ConcurrentHashMap<>();
    /** "SecretId VersionStage" of every GetSecretValue received. */
    final List<String> requests = new CopyOnWriteArrayList<>();

    private FakeSecretsManager(HttpServer server) {
        this.server = server;
    }

    static FakeSecretsManager start(String current) throws IOException {
        FakeSecretsManager fake = new FakeSecretsManager(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
        fake.stages.put("AWSCURRENT", current);
        fake.server.createContext("/", fake::handle);
        fake.server.start();
        return fake;
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A rotation: the new value becomes AWSCURRENT, the current one AWSPREVIOUS. */
    void rotate(String next) {
        stages.put("AWSPREVIOUS", stages.get("AWSCURRENT"));
        stages.put("AWSCURRENT", next);
    }

    void reset(String current) {
        stages.clear();
        stages.put("AWSCURRENT", current);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode request = Json.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String secretId = request.path("SecretId").asText();
            String stage = request.path("VersionStage").asText("AWSCURRENT");
            requests.add(secretId + " " + stage);
            String value = "secretsmanager.GetSecretValue".equals(target) && ARN.equals(secretId) ? stages.get(stage) : null;
            ObjectNode answer = Json.object();
            int status;
            if (value == null) {
                status = 400;
                answer.put("__type", "ResourceNotFoundException").put("message", "Secrets Manager can't find the specified secret value for staging label: " + stage);
                exchange.getResponseHeaders().add("x-amzn-ErrorType", "ResourceNotFoundException");
            } else {
                status = 200;
                answer.put("ARN", ARN).put("Name", "inbox-relay/jwt").put("VersionId", Integer.toHexString(value.hashCode()))
                        .put("SecretString", value).put("CreatedDate", 1.7646e9);
                answer.putArray("VersionStages").add(stage);
            }
            byte[] body = Json.write(answer).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
