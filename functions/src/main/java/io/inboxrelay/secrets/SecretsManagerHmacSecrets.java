package io.inboxrelay.secrets;

import io.inboxrelay.core.auth.HmacSecrets;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The HS256 secret read from Secrets Manager (JWT_SECRET_ARN), never from the environment.
 *
 * <ul>
 *   <li>Read with GetSecretValue when the first HS256 token arrives, so a SnapStart snapshot taken
 *       after initialisation holds neither the secret nor a client; a snapshot is also told to forget
 *       it ({@link #beforeCheckpoint}).</li>
 *   <li>The {@code AWSCURRENT} and {@code AWSPREVIOUS} versions are both accepted, so tokens signed
 *       just before a rotation keep working until they expire.</li>
 *   <li>Kept for JWT_SECRET_CACHE_SECONDS (5 minutes); a token no held version verifies triggers one early re-read,
 *       at most every {@link #MIN_REFRESH} (a new version is picked up at once, a flood of forged
 *       tokens costs one read every 30 s). When a re-read fails, the versions held are kept.</li>
 * </ul>
 */
public final class SecretsManagerHmacSecrets implements HmacSecrets, Resource {

    private static final Logger LOG = LoggerFactory.getLogger(SecretsManagerHmacSecrets.class);
    static final Duration MIN_REFRESH = Duration.ofSeconds(30);
    static final String CURRENT = "AWSCURRENT";
    static final String PREVIOUS = "AWSPREVIOUS";
    private static final long NEVER = Long.MIN_VALUE / 2;
    // CRaC holds resources weakly; this keeps registered ones alive for the container's life.
    private static final List<SecretsManagerHmacSecrets> REGISTERED = new CopyOnWriteArrayList<>();

    private final String secretArn;
    private final Supplier<SecretsManagerClient> clients;
    private final Clock clock;
    private final long ttl;
    private final long minRefresh;
    private SecretsManagerClient client;
    private List<String> versions;
    private long readAt;
    private long attemptedAt = NEVER;

    /**
     * @param clients builds the client on first use (after a SnapStart restore, not before the snapshot)
     * @param ttl     how long versions read are kept (JWT_SECRET_CACHE_SECONDS); an early re-read waits at
     *                most {@link #MIN_REFRESH} (less when the TTL is shorter)
     */
    public SecretsManagerHmacSecrets(String secretArn, Supplier<SecretsManagerClient> clients, Duration ttl, Clock clock) {
        this.secretArn = Objects.requireNonNull(secretArn);
        this.clients = clients;
        this.clock = clock;
        this.ttl = ttl.toMillis();
        this.minRefresh = Math.min(ttl.toMillis(), MIN_REFRESH.toMillis());
    }

    /** Registered for SnapStart, so the snapshot never carries a version read before it. */
    public static SecretsManagerHmacSecrets registered(String secretArn, Supplier<SecretsManagerClient> clients, Duration ttl) {
        SecretsManagerHmacSecrets secrets = new SecretsManagerHmacSecrets(secretArn, clients, ttl, Clock.systemUTC());
        Core.getGlobalContext().register(secrets);
        REGISTERED.add(secrets);
        return secrets;
    }

    @Override
    public synchronized List<String> versions() {
        long now = clock.millis();
        if (versions == null || now - readAt >= ttl) {
            read(now);
        }
        return versions;
    }

    @Override
    public synchronized boolean refresh() {
        long now = clock.millis();
        if (now - attemptedAt < minRefresh) {
            return false;
        }
        List<String> before = versions;
        read(now);
        return !Objects.equals(before, versions);
    }

    private void read(long now) {
        attemptedAt = now;
        try {
            if (client == null) {
                client = clients.get();
            }
            List<String> read = new ArrayList<>(2);
            String current = value(CURRENT);
            if (current == null || current.getBytes(StandardCharsets.UTF_8).length < 32) {
                throw new KeysUnavailableException("the JWT secret's " + CURRENT + " version is missing or shorter than 32 bytes", null);
            }
            read.add(current);
            String previous = value(PREVIOUS);
            if (previous != null && previous.getBytes(StandardCharsets.UTF_8).length >= 32 && !previous.equals(current)) {
                read.add(previous);
            }
            versions = List.copyOf(read);
            readAt = now;
        } catch (SdkException e) {
            if (versions == null) {
                throw new KeysUnavailableException("the JWT secret could not be read from Secrets Manager: " + e.getClass().getSimpleName(), e);
            }
            // Keep what was read (a stale secret beats refusing every browser); try again in MIN_REFRESH.
            readAt = now - ttl + minRefresh;
            LOG.warn("JWT secret re-read failed, keeping the versions held error={}", e.getClass().getSimpleName());
        }
    }

    /** The version's SecretString, or null when the secret has no version in that stage (no rotation yet). */
    private String value(String stage) {
        try {
            GetSecretValueResponse answer = client.getSecretValue(r -> r.secretId(secretArn).versionStage(stage));
            return answer.secretString();
        } catch (ResourceNotFoundException noSuchVersion) {
            if (CURRENT.equals(stage)) {
                throw noSuchVersion;
            }
            return null;
        }
    }

    @Override
    public synchronized void beforeCheckpoint(Context<? extends Resource> context) {
        versions = null;
        readAt = 0;
        attemptedAt = NEVER;
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Read again at the first token after restore.
    }
}
