package io.inboxrelay.config;

import io.inboxrelay.core.Json;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * SnapStart priming: just before Lambda snapshots a published version, run the code paths every
 * invocation needs (Jackson, the DynamoDB client's marshallers, signer, endpoint rules and HTTP
 * client) so the restored function starts warm. Only class loading and JIT state end up in the
 * snapshot: no connection, random seed or clock value is created here or in a static initialiser,
 * and a failed priming call (no table, no permission, no network) never fails the snapshot.
 *
 * <p>{@link Clients#dynamo()} registers it for every client it builds.
 */
public final class Priming implements Resource {

    private static final Logger LOG = LoggerFactory.getLogger(Priming.class);

    // CRaC holds resources weakly; this keeps registered ones alive for the container's life.
    private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();

    private static final String SAMPLE = "{\"type\":\"new_message\",\"id\":\"0000000000000-priming00\",\"tenant_id\":\"t\","
            + "\"message\":{\"id\":\"m\",\"content\":\"\",\"sender\":\"lead\",\"phone\":\"+10000000000\",\"timestamp\":0}}";

    private final DynamoDbClient dynamo;
    private final String sessionsTable;
    private volatile boolean primed;

    /**
     * @param dynamo the client the handler will use
     * @param config where the sessions table is: a GetItem for a session that cannot exist is issued
     *               against it (every function's role may read it or is refused, both warm the client)
     */
    public Priming(DynamoDbClient dynamo, Config config) {
        this(dynamo, config.sessionsTable());
    }

    private Priming(DynamoDbClient dynamo, String sessionsTable) {
        this.dynamo = dynamo;
        this.sessionsTable = sessionsTable;
    }

    /**
     * Registers priming for a client built by {@link Clients#dynamo()}, so every handler built by
     * its no-arg constructor is primed without a line of its own. Skipped where no sessions table
     * is configured (a tool, not a function).
     */
    static void registerFor(DynamoDbClient dynamo) {
        String sessionsTable = Env.get("SESSIONS_TABLE");
        if (sessionsTable != null && !sessionsTable.isBlank()) {
            Priming priming = new Priming(dynamo, sessionsTable);
            REGISTERED.add(priming);
            Core.getGlobalContext().register(priming);
        }
    }

    /** Registers priming for this container's snapshot; returns it so the handler can keep it too. */
    public static Priming register(DynamoDbClient dynamo, Config config) {
        Priming priming = new Priming(dynamo, config);
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    /** Resources registered in this JVM (tests and diagnostics). */
    public static List<Priming> registered() {
        return List.copyOf(REGISTERED);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to rebuild: the clients read credentials and resolve connections per request.
    }

    /** Runs the warm-up now; true when the DynamoDB round trip reached the service. */
    public boolean prime() {
        Json.write(Json.MAPPER.convertValue(Json.parse(SAMPLE), Map.class));
        try {
            dynamo.getItem(request -> request.tableName(sessionsTable)
                    .key(Map.of("sessionId", AttributeValue.fromS("__priming__")))
                    .consistentRead(false));
            primed = true;
        } catch (SdkException e) {
            // An answer from the service (AccessDenied included) exercised the whole client path;
            // only a round trip that never completed did not.
            primed = e instanceof AwsServiceException;
            LOG.warn("priming call to DynamoDB failed: {}", e.getClass().getSimpleName());
        }
        return primed;
    }

    public boolean primed() {
        return primed;
    }
}
