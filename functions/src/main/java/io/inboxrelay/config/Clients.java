package io.inboxrelay.config;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * AWS clients, built once per container with the light UrlConnection HTTP client, region from
 * {@code AWS_REGION}, credentials from the Lambda environment. {@code DYNAMODB_ENDPOINT} points
 * DynamoDB at DynamoDB Local (the local stack sets it; AWS does not).
 */
public final class Clients {

    /**
     * HttpURLConnection keeps only 5 idle connections per host unless told otherwise, so with
     * FANOUT_CONCURRENCY posts in flight most of them opened a new connection (a TLS handshake in
     * AWS). Measured by infra/bench.sh: 5,000 connections 2.1 s → 1.3 s. Set before the first
     * connection, which is why it lives here.
     */
    static final int KEEP_ALIVE_CONNECTIONS = 256;

    static {
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", Integer.toString(KEEP_ALIVE_CONNECTIONS));
        }
    }

    private static final SdkHttpClient HTTP = UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(2))
            .socketTimeout(Duration.ofSeconds(10))
            .build();

    private Clients() {
    }

    public static SdkHttpClient http() {
        return HTTP;
    }

    public static Region region() {
        String region = Env.get("AWS_REGION");
        return Region.of(region == null || region.isBlank() ? "us-east-1" : region);
    }

    /**
     * A DynamoDB client for a handler; SnapStart primes it before the snapshot (see {@link Priming}).
     * Every call, the SDK's own retries included, ends within DYNAMODB_CALL_TIMEOUT_MS: the bound
     * that makes RESUME_OVERLAP_MS safe (Config refuses an overlap shorter than three of them).
     */
    public static DynamoDbClient dynamo() {
        Duration callTimeout = Config.dynamoCallTimeout(Env.all());
        var builder = DynamoDbClient.builder()
                .httpClient(HTTP)
                .region(region())
                .credentialsProvider(credentials())
                .overrideConfiguration(c -> c.apiCallTimeout(callTimeout));
        String endpoint = Env.get("DYNAMODB_ENDPOINT");
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        DynamoDbClient client = builder.build();
        Priming.registerFor(client);
        return client;
    }

    /** The DynamoDB Streams client (same endpoint override as DynamoDB, for DynamoDB Local). */
    public static DynamoDbStreamsClient streams() {
        var builder = DynamoDbStreamsClient.builder()
                .httpClient(HTTP)
                .region(region())
                .credentialsProvider(credentials());
        String endpoint = Env.get("DYNAMODB_ENDPOINT");
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    /** KMS, for the data keys of session secrets ({@code KMS_ENDPOINT} overrides the endpoint, as for a test double). */
    public static KmsClient kms() {
        var builder = KmsClient.builder()
                .httpClient(HTTP)
                .region(region())
                .credentialsProvider(credentials());
        String endpoint = Env.get("KMS_ENDPOINT");
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    /**
     * SQS, for the outbox ({@code SQS_ENDPOINT} points it at the local stack's queues, as DYNAMODB_ENDPOINT does for
     * DynamoDB). A send call is bounded: the send endpoint answers 503 rather than outlive its 10 s timeout.
     */
    public static SqsClient sqs() {
        var builder = SqsClient.builder()
                .httpClient(HTTP)
                .region(region())
                .credentialsProvider(credentials())
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(3)));
        String endpoint = Env.get("SQS_ENDPOINT");
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    public static ApiGatewayManagementApiClient management(String endpoint) {
        return ApiGatewayManagementApiClient.builder()
                .httpClient(HTTP)
                .region(region())
                .credentialsProvider(credentials())
                .endpointOverride(URI.create(endpoint))
                // The fan-out retries 429/5xx itself with full jitter and a bound it controls;
                // SDK retries underneath would multiply the attempts.
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /**
     * The Secrets Manager client the token verifiers read the JWT secret with; built at the first
     * token, after a SnapStart restore, never before the snapshot.
     */
    public static SecretsManagerClient secretsManager() {
        var builder = SecretsManagerClient.builder()
                .httpClient(HTTP)
                .region(region())
                .credentialsProvider(credentials())
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(3)));
        // Tests point it at a stand-in speaking the same protocol; AWS never sets it.
        String endpoint = Env.get("SECRETSMANAGER_ENDPOINT");
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    private static AwsCredentialsProvider credentials() {
        if (System.getenv("AWS_ACCESS_KEY_ID") != null) {
            return EnvironmentVariableCredentialsProvider.create();
        }
        // Only the local stack runs without credentials in its environment; DynamoDB Local accepts any.
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    }
}
