package io.inboxrelay.store;

import io.inboxrelay.core.GatewaySettings;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.outbound.Credential;
import io.inboxrelay.core.outbound.GatewayConnection;
import java.net.URI;
import io.inboxrelay.core.WebhookRejection;
import io.inboxrelay.core.ingest.SessionRegistry;
import java.time.Duration;
import java.time.Instant;
import io.inboxrelay.core.signature.TokenDigest;
import io.inboxrelay.secrets.SecretsCipher;
import io.inboxrelay.secrets.SecretsCiphers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** The session registry in SessionsTable: lookups for the webhook path, writes for the admin tools. */
public final class DynamoSessionRegistry implements SessionRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoSessionRegistry.class);

    /**
     * The diagnostics are kept to a minute's resolution, which saves a write per webhook: a steady stream of
     * successes writes once a minute, and so does a steady stream of one rejection.
     */
    static final Duration LAST_SEEN_RESOLUTION = Duration.ofMinutes(1);

    private final DynamoDbClient dynamo;
    private final String table;
    private final RefusalCounter refusals = new RefusalCounter(LAST_SEEN_RESOLUTION);
    private final SessionSecrets secrets;

    /**
     * A registry that opens secrets, with the environment's cipher ({@link SecretsCiphers#fromEnv()}, one per
     * container, looked up at first need: a function that never reads a secret never needs a key).
     */
    public DynamoSessionRegistry(DynamoDbClient dynamo, String table) {
        this(dynamo, table, SecretsCiphers::fromEnv, true);
    }

    /**
     * @param openSecrets whether {@link #find} opens sealed secrets (the webhook, whose role may decrypt), or
     *                    returns references to them that a write keeps as they are (the admin, whose role may not)
     */
    public DynamoSessionRegistry(DynamoDbClient dynamo, String table, SecretsCipher cipher, boolean openSecrets) {
        this(dynamo, table, () -> cipher, openSecrets);
    }

    private DynamoSessionRegistry(DynamoDbClient dynamo, String table, Supplier<SecretsCipher> cipher, boolean openSecrets) {
        this.dynamo = dynamo;
        this.table = table;
        this.secrets = new SessionSecrets(cipher, openSecrets);
    }

    @Override
    public Optional<Session> find(String sessionId) {
        if (sessionId == null || sessionId.isBlank() || sessionId.length() > 256) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(key(sessionId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(withSecrets(item));
    }

    @Override
    public void recordWebhook(Session session, Instant at, WebhookRejection rejection) {
        if (!shouldRecord(session, at, rejection)) {
            return;
        }
        // A success and a rejection write different attributes, so neither wipes what the other recorded.
        Update update = new Update(table, key(session.sessionId())).set(SessionItems.LAST_WEBHOOK_AT, at.toEpochMilli());
        if (rejection == null) {
            update.set(SessionItems.LAST_SUCCESS_AT, at.toEpochMilli());
        } else {
            update.set(SessionItems.LAST_REJECTED_AT, at.toEpochMilli())
                    .set(SessionItems.LAST_ERROR, rejection.code())
                    .set(SessionItems.LAST_REJECTION_STATUS, rejection.status());
            if (rejection.reason() == null) {
                update.remove(SessionItems.LAST_REJECTION_REASON);
            } else {
                update.set(SessionItems.LAST_REJECTION_REASON, rejection.reason());
            }
        }
        update.condition("attribute_exists(" + update.name(SessionItems.SESSION_ID) + ")");
        try {
            dynamo.updateItem(update.request());
        } catch (ConditionalCheckFailedException deletedMeanwhile) {
            LOG.debug("session {} was deleted while a webhook reached it", session.sessionId());
        } catch (RuntimeException e) {
            // Diagnostics must never fail a webhook that was otherwise handled.
            LOG.warn("could not record the last webhook time of session {}: {}", session.sessionId(), e.toString());
        }
    }

    /**
     * Whether a webhook changes what the registry shows: a success when the last recorded one is a minute old;
     * a rejection when its answer (status, code or reason) differs from the last recorded one, or that is a minute old.
     */
    static boolean shouldRecord(Session session, Instant at, WebhookRejection rejection) {
        if (rejection == null) {
            return !withinResolution(session.lastSuccessAt(), at);
        }
        return !withinResolution(session.lastRejectedAt(), at) || !rejection.equals(session.lastRejection());
    }

    private static boolean withinResolution(Instant recorded, Instant at) {
        return recorded != null && Duration.between(recorded, at).compareTo(LAST_SEEN_RESOLUTION) < 0;
    }

    @Override
    public void recordRefusal(Session session, Instant at, WebhookRejection refusal) {
        RefusalCounter.Flush flush = refusals.count(session.sessionId(), refusal.code(), at);
        if (flush == null) {
            return;
        }
        Update update = new Update(table, key(session.sessionId()))
                .add(SessionItems.REFUSED_COUNT + refusal.code(), flush.count())
                .set(SessionItems.REFUSED_AT + refusal.code(), at.toEpochMilli())
                .set(SessionItems.REFUSED_STATUS + refusal.code(), refusal.status());
        if (refusal.reason() != null) {
            update.set(SessionItems.REFUSED_REASON + refusal.code(), refusal.reason());
        }
        update.condition("attribute_exists(" + update.name(SessionItems.SESSION_ID) + ")");
        try {
            dynamo.updateItem(update.request());
        } catch (ConditionalCheckFailedException deletedMeanwhile) {
            LOG.debug("session {} was deleted while a refused request reached it", session.sessionId());
        } catch (RuntimeException e) {
            refusals.giveBack(session.sessionId(), refusal.code(), flush);
            LOG.warn("could not count a refusal of session {}: {}", session.sessionId(), e.toString());
        }
    }

    private Session withSecrets(Map<String, AttributeValue> item) {
        Session session = SessionItems.fromItem(item);
        return session.withSecrets(secrets.read(item, session.tenantId(), session.sessionId()), session.verifyToken(), session.enabled());
    }

    /** Creates a session, its secrets sealed and its verify token as a digest; fails when the id is taken. */
    public void create(Session session) {
        Map<String, AttributeValue> item = new HashMap<>(SessionItems.toItem(session));
        item.put(SessionItems.SEALED_SECRETS, secrets.seal(session));
        try {
            dynamo.putItem(r -> r.tableName(table)
                    .item(item)
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", SessionItems.SESSION_ID)));
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalArgumentException("session '" + session.sessionId() + "' already exists", e);
        }
    }

    /**
     * Replaces the secrets and enabled flag of an existing session. Its secrets are written sealed and its
     * verify token as a digest, whatever the item held: the write that migrates an item stored in plain text.
     */
    public void update(Session session) {
        Update update = new Update(table, key(session.sessionId()))
                .set(SessionItems.SEALED_SECRETS, secrets.seal(session))
                .remove(SessionItems.SECRETS)
                .set(SessionItems.ENABLED, Attrs.bool(session.enabled()));
        if (session.verifyToken() != null) {
            update.set(SessionItems.VERIFY_TOKEN, TokenDigest.of(session.verifyToken()));
        }
        update.condition("attribute_exists(" + update.name(SessionItems.SESSION_ID) + ")");
        try {
            dynamo.updateItem(update.request());
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalArgumentException("no session '" + session.sessionId() + "'", e);
        }
    }

    /**
     * Stores the session's gateway API connection: its base URL and names as they are (listed), the credential
     * sealed with the session's {@code {tenantId, sessionId}} (never listed, never projected).
     */
    public void setGateway(Session session, GatewaySettings settings, String credential) {
        Update update = new Update(table, key(session.sessionId()))
                .set(SessionItems.SEALED_GATEWAY_CREDENTIAL, secrets.sealOne(session.tenantId(), session.sessionId(), credential))
                .set(SessionItems.GATEWAY_CREDENTIAL_SET, Attrs.bool(true));
        setOrRemove(update, SessionItems.GATEWAY_BASE_URL, settings.baseUrl());
        setOrRemove(update, SessionItems.GATEWAY_SESSION, settings.gatewaySession());
        setOrRemove(update, SessionItems.GATEWAY_API_VERSION, settings.apiVersion());
        update.condition("attribute_exists(" + update.name(SessionItems.SESSION_ID) + ")");
        try {
            dynamo.updateItem(update.request());
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalArgumentException("no session '" + session.sessionId() + "'", e);
        }
    }

    private static void setOrRemove(Update update, String attribute, String value) {
        if (value == null || value.isBlank()) {
            update.remove(attribute);
        } else {
            update.set(attribute, value);
        }
    }

    /**
     * The session's gateway API connection with its credential opened (which needs the right to decrypt), or empty
     * when no credential is stored.
     */
    public Optional<GatewayConnection> gatewayConnection(String sessionId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(sessionId)).consistentRead(true)).item();
        if (item == null || item.isEmpty() || !item.containsKey(SessionItems.SEALED_GATEWAY_CREDENTIAL)) {
            return Optional.empty();
        }
        Session session = SessionItems.fromItem(item);
        GatewaySettings settings = session.gateway();
        String credential = secrets.openOne(item.get(SessionItems.SEALED_GATEWAY_CREDENTIAL), session.tenantId(), sessionId);
        return Optional.of(new GatewayConnection(session.provider(),
                settings.baseUrl() == null ? null : URI.create(settings.baseUrl()), Credential.of(credential),
                settings.gatewaySession() == null ? sessionId : settings.gatewaySession(), settings.apiVersion()));
    }

    /** A tenant's sessions, through the tenant index (never a Scan). */
    public List<Session> listByTenant(String tenantId) {
        List<Session> sessions = new ArrayList<>();
        QueryRequest query = QueryRequest.builder()
                .tableName(table)
                .indexName(SessionItems.TENANT_INDEX)
                .keyConditionExpression("#t = :t")
                .expressionAttributeNames(Map.of("#t", SessionItems.TENANT_ID))
                .expressionAttributeValues(Map.of(":t", Attrs.s(tenantId)))
                .build();
        dynamo.queryPaginator(query).items().forEach(item -> sessions.add(SessionItems.fromItem(item)));
        return sessions;
    }

    /**
     * Seals the secrets of every item that still holds them in plain text (written before sealing): an
     * operator's migration, not a request path (a Scan). Returns how many sessions it sealed.
     */
    public int sealPlainSecrets() {
        int sealed = 0;
        ScanRequest scan = ScanRequest.builder().tableName(table).consistentRead(true)
                .filterExpression("attribute_exists(#plain)")
                .expressionAttributeNames(Map.of("#plain", SessionItems.SECRETS)).build();
        for (Map<String, AttributeValue> item : dynamo.scanPaginator(scan).items()) {
            Session session = withSecrets(item);
            try {
                update(session);
                sealed++;
            } catch (IllegalArgumentException deletedMeanwhile) {
                LOG.debug("session {} was deleted while being sealed", session.sessionId());
            }
        }
        return sealed;
    }

    /** Every session of every tenant: an operator's listing, not a request path. */
    public List<Session> listAll() {
        List<Session> sessions = new ArrayList<>();
        dynamo.scanPaginator(ScanRequest.builder().tableName(table).build())
                .items().forEach(item -> sessions.add(SessionItems.fromItem(item)));
        return sessions;
    }

    private static Map<String, AttributeValue> key(String sessionId) {
        return Map.of(SessionItems.SESSION_ID, Attrs.s(sessionId));
    }
}
