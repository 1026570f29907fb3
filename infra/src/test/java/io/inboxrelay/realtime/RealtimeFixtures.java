package io.inboxrelay.realtime;

import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.inboxrelay.config.Config;
import io.inboxrelay.local.LocalDynamo;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Fixtures from {@code events/}, the functions' configuration against DynamoDB Local, and event items as the ingest side writes them. */
final class RealtimeFixtures {

    static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private RealtimeFixtures() {
    }

    static <T> T load(String relative, Class<T> type) {
        String dir = System.getProperty("events.dir", "../events");
        return EventLoader.loadEvent(Path.of(dir, relative).toString(), type);
    }

    static Config config(LocalDynamo dynamo, String managementEndpoint, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(dynamo.environment());
        env.put("WS_MANAGEMENT_ENDPOINT", managementEndpoint);
        env.put("JWT_SECRET", SECRET);
        env.put("FANOUT_CONCURRENCY", "8");
        // Lets a test choose a short RESUME_OVERLAP_MS (Config wants at least 3 call timeouts).
        env.put("DYNAMODB_CALL_TIMEOUT_MS", "500");
        env.putAll(overrides);
        return Config.from(env);
    }

    static String cursor(long millis) {
        StringBuilder random = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            random.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return String.format("%013d-%s", millis, random);
    }

    /** Writes an event item exactly as the contract describes it; returns its cursor. */
    static String writeEvent(DynamoDbClient client, String tenantId, String cursor, String channel) {
        String type = switch (channel) {
            case "messages" -> "new_message";
            case "statuses" -> "message_status";
            default -> "session_status";
        };
        String body = "{\"type\":\"" + type + "\",\"id\":\"" + cursor + "\",\"tenant_id\":\"" + tenantId + "\"}";
        long millis = Long.parseLong(cursor.substring(0, 13));
        client.putItem(r -> r.tableName("EventsTable").item(Map.of(
                "tenantId", AttributeValue.fromS(tenantId),
                "cursor", AttributeValue.fromS(cursor),
                "type", AttributeValue.fromS(type),
                "channel", AttributeValue.fromS(channel),
                "body", AttributeValue.fromS(body),
                "createdAt", AttributeValue.fromN(Long.toString(millis)),
                "expiresAt", AttributeValue.fromN(Long.toString(millis / 1000 + 7 * 86400)))));
        return cursor;
    }

    static void registerConnection(DynamoDbClient client, String tenantId, String connectionId, String... channels) {
        client.putItem(r -> r.tableName("ConnectionsTable").item(Map.of(
                "tenantId", AttributeValue.fromS(tenantId),
                "connectionId", AttributeValue.fromS(connectionId),
                "userId", AttributeValue.fromS("agent-" + connectionId),
                "channels", AttributeValue.fromSs(java.util.List.of(channels)),
                // Connected a minute ago: past the grace in which a 410 means "not open yet".
                "connectedAt", AttributeValue.fromN(Long.toString(System.currentTimeMillis() - 60_000)),
                "expiresAt", AttributeValue.fromN(Long.toString(System.currentTimeMillis() / 1000 + 7500)))));
    }

    static boolean connectionExists(DynamoDbClient client, String tenantId, String connectionId) {
        return client.getItem(r -> r.tableName("ConnectionsTable").consistentRead(true).key(Map.of(
                "tenantId", AttributeValue.fromS(tenantId), "connectionId", AttributeValue.fromS(connectionId)))).hasItem();
    }
}
