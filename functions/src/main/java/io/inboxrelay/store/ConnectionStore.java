package io.inboxrelay.store;

import io.inboxrelay.core.event.Channel;
import io.inboxrelay.core.realtime.Channels;
import io.inboxrelay.core.realtime.Connection;
import io.inboxrelay.core.realtime.ConnectionDirectory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/** ConnectionsTable: a tenant's open sockets, keyed {@code tenantId} + {@code connectionId}, found by Query. */
public final class ConnectionStore implements ConnectionDirectory {

    static final String TENANT_ID = "tenantId";
    static final String CONNECTION_ID = "connectionId";
    static final String USER_ID = "userId";
    static final String CHANNELS = "channels";
    static final String CONNECTED_AT = "connectedAt";
    static final String EXPIRES_AT = "expiresAt";
    /** The token's exp (epoch seconds); distinct from the item's TTL attribute, which DynamoDB applies lazily. */
    static final String TOKEN_EXPIRES_AT = "tokenExp";
    static final String RESUME_WINDOW = "resumeWindow";
    static final String RESUME_CALLS = "resumeCalls";

    /** What a resume may do: go on with the connection, wait, or nothing (the connection is not stored). */
    public sealed interface ResumeGrant {
        record Granted(Connection connection) implements ResumeGrant {
        }

        record Limited(long retryAfterMillis) implements ResumeGrant {
        }

        record NotConnected() implements ResumeGrant {
        }
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration ttl;
    private final Clock clock;

    public ConnectionStore(DynamoDbClient dynamo, String table, Duration ttl, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.ttl = ttl;
        this.clock = clock;
    }

    public void save(Connection connection) {
        Map<String, AttributeValue> item = new HashMap<>(key(connection.tenantId(), connection.connectionId()));
        if (connection.userId() != null) {
            item.put(USER_ID, s(connection.userId()));
        }
        item.put(CHANNELS, channels(connection.channels()));
        item.put(CONNECTED_AT, n(connection.connectedAt()));
        if (connection.tokenExpiresAt() > 0) {
            item.put(TOKEN_EXPIRES_AT, n(connection.tokenExpiresAt()));
        }
        // $disconnect is best-effort in AWS: the TTL removes what it misses.
        item.put(EXPIRES_AT, n(clock.instant().plus(ttl).getEpochSecond()));
        dynamo.putItem(r -> r.tableName(table).item(item));
    }

    @Override
    public void delete(String tenantId, String connectionId) {
        dynamo.deleteItem(r -> r.tableName(table).key(key(tenantId, connectionId)));
    }

    public Optional<Connection> find(String tenantId, String connectionId) {
        var item = dynamo.getItem(r -> r.tableName(table).key(key(tenantId, connectionId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /** @return false when the connection is not (or no longer) stored */
    public boolean updateChannels(String tenantId, String connectionId, Set<Channel> channels) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(tenantId, connectionId))
                    .updateExpression("SET #c = :c")
                    .conditionExpression("attribute_exists(#id)")
                    .expressionAttributeNames(Map.of("#c", CHANNELS, "#id", CONNECTION_ID))
                    .expressionAttributeValues(Map.of(":c", channels(channels))));
            return true;
        } catch (ConditionalCheckFailedException gone) {
            return false;
        }
    }

    /**
     * Counts one resume call of the connection in the current minute (pages included) and reads the
     * connection in the same request: one UpdateItem, no GetItem. A fixed one-minute window.
     */
    public ResumeGrant claimResume(String tenantId, String connectionId, int perMinute) {
        long now = clock.millis();
        long window = now / 60_000;
        Map<String, String> names = Map.of("#id", CONNECTION_ID, "#w", RESUME_WINDOW, "#n", RESUME_CALLS);
        try {
            var item = dynamo.updateItem(r -> r.tableName(table).key(key(tenantId, connectionId))
                    .updateExpression("ADD #n :one")
                    .conditionExpression("attribute_exists(#id) AND #w = :w AND #n < :max")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(Map.of(":one", n(1), ":w", n(window), ":max", n(perMinute)))
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).attributes();
            return new ResumeGrant.Granted(fromItem(item));
        } catch (ConditionalCheckFailedException refused) {
            Map<String, AttributeValue> old = refused.item();
            if (old == null || old.isEmpty()) {
                return new ResumeGrant.NotConnected();
            }
            AttributeValue stored = old.get(RESUME_WINDOW);
            if (stored != null && Long.parseLong(stored.n()) >= window) {
                return new ResumeGrant.Limited((window + 1) * 60_000 - now);
            }
        }
        try {
            var item = dynamo.updateItem(r -> r.tableName(table).key(key(tenantId, connectionId))
                    .updateExpression("SET #w = :w, #n = :one")
                    .conditionExpression("attribute_exists(#id) AND (attribute_not_exists(#w) OR #w < :w)")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(Map.of(":one", n(1), ":w", n(window)))
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return new ResumeGrant.Granted(fromItem(item));
        } catch (ConditionalCheckFailedException raced) {
            // Another resume of this connection opened the window first, or the connection went away.
            return find(tenantId, connectionId).<ResumeGrant>map(c -> new ResumeGrant.Limited(1_000))
                    .orElseGet(ResumeGrant.NotConnected::new);
        }
    }

    /** Every stored connection of the tenant (a Query on the partition key, paginated). */
    @Override
    public List<Connection> forTenant(String tenantId) {
        List<Connection> connections = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder request = QueryRequest.builder().tableName(table)
                    .keyConditionExpression("#t = :t")
                    .expressionAttributeNames(Map.of("#t", TENANT_ID))
                    .expressionAttributeValues(Map.of(":t", s(tenantId)));
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            QueryResponse page = dynamo.query(request.build());
            page.items().forEach(item -> connections.add(fromItem(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return connections;
    }

    static Connection fromItem(Map<String, AttributeValue> item) {
        Set<Channel> channels = EnumSet.noneOf(Channel.class);
        AttributeValue stored = item.get(CHANNELS);
        if (stored != null && stored.hasSs()) {
            stored.ss().forEach(name -> Channel.fromWireName(name).ifPresent(channels::add));
        }
        AttributeValue user = item.get(USER_ID);
        AttributeValue connectedAt = item.get(CONNECTED_AT);
        AttributeValue tokenExpiresAt = item.get(TOKEN_EXPIRES_AT);
        return new Connection(item.get(TENANT_ID).s(), item.get(CONNECTION_ID).s(), user == null ? null : user.s(),
                channels, connectedAt == null ? 0 : Long.parseLong(connectedAt.n()),
                tokenExpiresAt == null ? 0 : Long.parseLong(tokenExpiresAt.n()));
    }

    private static Map<String, AttributeValue> key(String tenantId, String connectionId) {
        return Map.of(TENANT_ID, s(tenantId), CONNECTION_ID, s(connectionId));
    }

    private static AttributeValue channels(Set<Channel> channels) {
        // A string set cannot be empty; a connection always has at least one channel (subscribe refuses none).
        return AttributeValue.fromSs(List.copyOf(Channels.wireNames(channels.isEmpty() ? Channels.all() : channels)));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
