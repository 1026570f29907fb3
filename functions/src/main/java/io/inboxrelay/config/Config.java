package io.inboxrelay.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the functions read from their environment. Every name here is set in template.yaml
 * (a test holds the two together) and by the local stack.
 *
 * @param sessionsTable       SESSIONS_TABLE
 * @param messagesTable       MESSAGES_TABLE
 * @param conversationsTable  CONVERSATIONS_TABLE
 * @param contactsTable       CONTACTS_TABLE
 * @param eventsTable         EVENTS_TABLE
 * @param connectionsTable    CONNECTIONS_TABLE
 * @param managementEndpoint  the {@code @connections} endpoint: WS_MANAGEMENT_ENDPOINT if set, else
 *                            {@code https://WS_DOMAIN_NAME/WS_STAGE} (custom domains work); null when neither is set
 * @param eventTtl            EVENT_TTL_DAYS (default 7): how long events stay resumable
 * @param resumeOverlap       RESUME_OVERLAP_MS (default 30000): replay window before a resume cursor; at least
 *                            {@link #OVERLAP_PER_CALL_TIMEOUT} × DYNAMODB_CALL_TIMEOUT_MS, since an event becomes
 *                            visible at most one call timeout after its cursor was taken
 * @param dynamoCallTimeout   DYNAMODB_CALL_TIMEOUT_MS (default 3000): a DynamoDB call, retries included, ends by then
 * @param resumePageEvents    RESUME_PAGE_EVENTS (default 500, 1–1000): events one resume call sends
 * @param resumeMaxAge        RESUME_MAX_AGE_HOURS (default 24, at most EVENT_TTL_DAYS): an older cursor gets
 *                            {@code resync_required} (reload through the read API) instead of a replay
 * @param resumeCallsPerMinute RESUME_CALLS_PER_MINUTE (default 120): resume calls (pages included) per connection
 * @param sessionCacheTtl     SESSION_CACHE_SECONDS (default 10, 0 to read every time): how long a webhook
 *                            function keeps a session it read; a disabled session stops within this
 * @param connectionTtl       CONNECTION_TTL_SECONDS (default 7500: past API Gateway's 2-hour cap)
 * @param fanoutConcurrency   FANOUT_CONCURRENCY (default 128, chosen by infra/bench.sh): PostToConnection calls in flight per invocation
 * @param jwtSecretArn        JWT_SECRET_ARN: the Secrets Manager secret holding the HS256 shared secret (read at
 *                            the first token, current and previous versions), or null
 * @param jwtSecret           JWT_SECRET: the HS256 secret itself, for the local stack only (refused in Lambda:
 *                            a function's environment is readable by anyone with lambda:GetFunctionConfiguration)
 * @param jwksUrl             JWKS_URL: RS256 keys of an OIDC issuer, or null
 * @param jwtIssuer           JWT_ISSUER (required with JWKS_URL; with HS256 checked when set)
 * @param jwtAudience         JWT_AUDIENCE (required with JWKS_URL; with HS256 checked when set)
 * @param tenantClaim         TENANT_CLAIM (default tenant_id)
 * @param jwtSecretCacheTtl   JWT_SECRET_CACHE_SECONDS (default 300, 0–3600): how long a function keeps the versions
 *                            of the secret it read (a token signed with a newer one re-reads it at once, at most every 30 s)
 * @param maxTokenLifetime    MAX_TOKEN_LIFETIME_SECONDS (default 86400, at least 60): a token whose exp − iat (or
 *                            exp − now without iat) is longer is refused
 */
public record Config(
        String sessionsTable,
        String messagesTable,
        String conversationsTable,
        String contactsTable,
        String eventsTable,
        String connectionsTable,
        String managementEndpoint,
        Duration eventTtl,
        Duration resumeOverlap,
        Duration dynamoCallTimeout,
        int resumePageEvents,
        Duration resumeMaxAge,
        int resumeCallsPerMinute,
        Duration sessionCacheTtl,
        Duration connectionTtl,
        int fanoutConcurrency,
        String jwtSecretArn,
        String jwtSecret,
        String jwksUrl,
        String jwtIssuer,
        String jwtAudience,
        String tenantClaim,
        Duration jwtSecretCacheTtl,
        Duration maxTokenLifetime) {

    /** Every environment variable the functions read (template.yaml must set the required ones). */
    public static final java.util.List<String> VARIABLES = java.util.List.of(
            "SESSIONS_TABLE", "MESSAGES_TABLE", "CONVERSATIONS_TABLE", "CONTACTS_TABLE", "EVENTS_TABLE",
            "CONNECTIONS_TABLE", "WS_MANAGEMENT_ENDPOINT", "WS_DOMAIN_NAME", "WS_STAGE", "EVENT_TTL_DAYS",
            "RESUME_OVERLAP_MS", "DYNAMODB_CALL_TIMEOUT_MS", "RESUME_PAGE_EVENTS", "RESUME_MAX_AGE_HOURS",
            "RESUME_CALLS_PER_MINUTE", "SESSION_CACHE_SECONDS", "CONNECTION_TTL_SECONDS", "FANOUT_CONCURRENCY", "JWT_SECRET_ARN", "JWT_SECRET",
            "JWKS_URL", "JWT_ISSUER", "JWT_AUDIENCE", "TENANT_CLAIM", "JWT_SECRET_CACHE_SECONDS",
            "MAX_TOKEN_LIFETIME_SECONDS",
            // read by io.inboxrelay.secrets.SecretsCiphers: the KMS key that seals session secrets
            "SESSION_SECRETS_KEY_ARN",
            // read by io.inboxrelay.config.SendConfig (the outbox and the sender) and Clients.sqs()
            "OUTBOX_QUEUE_URL", "SEND_RATE_PER_SECOND", "SEND_BURST", "SQS_ENDPOINT");

    /** Set by Lambda in every function's environment, never by the local stack. */
    static final String LAMBDA_MARKER = "AWS_LAMBDA_FUNCTION_NAME";

    /** The overlap must cover this many DynamoDB call timeouts (a commit is visible within one; the rest is margin). */
    public static final int OVERLAP_PER_CALL_TIMEOUT = 3;

    public Config {
        if (resumeOverlap.compareTo(dynamoCallTimeout.multipliedBy(OVERLAP_PER_CALL_TIMEOUT)) < 0) {
            throw new IllegalStateException("RESUME_OVERLAP_MS (" + resumeOverlap.toMillis() + ") must be at least "
                    + OVERLAP_PER_CALL_TIMEOUT + " × DYNAMODB_CALL_TIMEOUT_MS (" + dynamoCallTimeout.toMillis()
                    + "): a resume could skip an event committed late");
        }
        if (resumePageEvents < 1 || resumePageEvents > 1_000) {
            throw new IllegalStateException("RESUME_PAGE_EVENTS must be between 1 and 1000, got " + resumePageEvents);
        }
        if (resumeMaxAge.compareTo(eventTtl) > 0) {
            throw new IllegalStateException("RESUME_MAX_AGE_HOURS (" + resumeMaxAge.toHours()
                    + ") cannot exceed the event log's retention EVENT_TTL_DAYS (" + eventTtl.toDays() + " days)");
        }
        if (sessionCacheTtl.isNegative() || sessionCacheTtl.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalStateException("SESSION_CACHE_SECONDS must be between 0 and 300: it bounds how long a disabled session is still accepted");
        }
        if (jwtSecretCacheTtl.isNegative() || jwtSecretCacheTtl.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalStateException("JWT_SECRET_CACHE_SECONDS must be between 0 and 3600: it bounds how long a rotated-out secret is still accepted");
        }
        if (resumeCallsPerMinute < 1) {
            throw new IllegalStateException("RESUME_CALLS_PER_MINUTE must be at least 1");
        }
    }

    public static Config fromEnv() {
        return from(Env.all());
    }

    public static Config from(Map<String, String> env) {
        if (optional(env, "JWT_SECRET").isPresent() && optional(env, LAMBDA_MARKER).isPresent()) {
            throw new IllegalStateException("JWT_SECRET is for the local stack only: in Lambda pass JWT_SECRET_ARN, so the"
                    + " secret is read from Secrets Manager and never sits in the function's environment");
        }
        return new Config(
                required(env, "SESSIONS_TABLE"),
                required(env, "MESSAGES_TABLE"),
                required(env, "CONVERSATIONS_TABLE"),
                required(env, "CONTACTS_TABLE"),
                required(env, "EVENTS_TABLE"),
                required(env, "CONNECTIONS_TABLE"),
                managementEndpoint(env),
                Duration.ofDays(number(env, "EVENT_TTL_DAYS", 7)),
                Duration.ofMillis(number(env, "RESUME_OVERLAP_MS", 30_000)),
                dynamoCallTimeout(env),
                (int) number(env, "RESUME_PAGE_EVENTS", 500),
                Duration.ofHours(number(env, "RESUME_MAX_AGE_HOURS", 24)),
                (int) number(env, "RESUME_CALLS_PER_MINUTE", 120),
                Duration.ofSeconds(number(env, "SESSION_CACHE_SECONDS", 10)),
                Duration.ofSeconds(number(env, "CONNECTION_TTL_SECONDS", 7_500)),
                (int) number(env, "FANOUT_CONCURRENCY", 128),
                optional(env, "JWT_SECRET_ARN").orElse(null),
                optional(env, "JWT_SECRET").orElse(null),
                optional(env, "JWKS_URL").orElse(null),
                optional(env, "JWT_ISSUER").orElse(null),
                optional(env, "JWT_AUDIENCE").orElse(null),
                optional(env, "TENANT_CLAIM").orElse("tenant_id"),
                Duration.ofSeconds(number(env, "JWT_SECRET_CACHE_SECONDS", 300)),
                Duration.ofSeconds(number(env, "MAX_TOKEN_LIFETIME_SECONDS", 86_400)));
    }

    /** DYNAMODB_CALL_TIMEOUT_MS, read also where the DynamoDB client is built (before a Config exists). */
    public static Duration dynamoCallTimeout(Map<String, String> env) {
        return Duration.ofMillis(number(env, "DYNAMODB_CALL_TIMEOUT_MS", 3_000));
    }

    private static String managementEndpoint(Map<String, String> env) {
        Optional<String> explicit = optional(env, "WS_MANAGEMENT_ENDPOINT");
        if (explicit.isPresent()) {
            return explicit.get();
        }
        Optional<String> domain = optional(env, "WS_DOMAIN_NAME");
        Optional<String> stage = optional(env, "WS_STAGE");
        if (domain.isPresent() && stage.isPresent()) {
            return "https://" + domain.get() + "/" + stage.get();
        }
        return null;
    }

    private static String required(Map<String, String> env, String name) {
        return optional(env, name).orElseThrow(() -> new IllegalStateException(
                "environment variable " + name + " is not set (template.yaml sets it in AWS; the local stack sets it locally)"));
    }

    private static Optional<String> optional(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static long number(Map<String, String> env, String name, long fallback) {
        Optional<String> value = optional(env, name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.get());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + name + " must be a whole number, got '" + value.get() + "'", e);
        }
    }
}
