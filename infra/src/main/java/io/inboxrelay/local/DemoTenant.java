package io.inboxrelay.local;

import io.inboxrelay.admin.SessionAdmin;
import io.inboxrelay.core.Session;
import io.inboxrelay.store.DynamoSessionRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The demo tenant and its Inbox Hub gateway session, seeded on start so the first curl works. The
 * session goes through the same admin code a real one does; on a persisted database it is reused.
 *
 * @param tenantId  the demo tenant
 * @param sessionId its gateway session
 * @param secret    the session's HMAC secret
 * @param created   true when it was made now, false when reused from a persisted database (its secret was shown then)
 */
public record DemoTenant(String tenantId, String sessionId, String secret, boolean created) {

    public static final String TENANT = "demo-tenant";
    public static final String SESSION = "demo-session";

    public static DemoTenant seed(LocalStack stack) {
        var registry = new DynamoSessionRegistry(stack.dynamo().client(), "SessionsTable");
        var existing = stack.dynamo().client().getItem(r -> r.tableName("SessionsTable")
                .key(Map.of("sessionId", AttributeValue.fromS(SESSION))).consistentRead(true));
        if (existing.hasItem() && existing.item().containsKey("secrets")) {
            return new DemoTenant(TENANT, SESSION, existing.item().get("secrets").l().get(0).s(), false);
        }
        SessionAdmin.Created created = new SessionAdmin(registry, Clock.systemUTC()).create(
                new SessionAdmin.NewSession(TENANT, SESSION, "inboxhub", "hmac-sha256", null, null, null));
        Session session = created.session();
        return new DemoTenant(session.tenantId(), session.sessionId(), created.secret(), true);
    }

    /**
     * Stores the demo session's gateway credentials as {@code sessions credentials} does (the same admin code: the key
     * sealed with the session's context), so a reply typed on the page goes out through the simulator.
     */
    public static void connectGateway(LocalStack stack, String baseUrl, String apiKey) {
        var registry = new DynamoSessionRegistry(stack.dynamo().client(), "SessionsTable");
        new SessionAdmin(registry, Clock.systemUTC()).setGateway(SESSION, baseUrl, apiKey, null, null);
    }

    /** A message as an Inbox Hub bridge posts it. */
    public static byte[] sampleWebhook(Instant now) {
        String id = "demo-" + now.toEpochMilli();
        return ("{\"event\":\"message.received\",\"timestamp\":" + now.getEpochSecond()
                + ",\"message\":{\"id\":\"" + id + "\",\"from\":\"+573001234567\",\"name\":\"Demo Lead\","
                + "\"text\":\"Hello from the local stack\",\"timestamp\":" + now.getEpochSecond() + "}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
