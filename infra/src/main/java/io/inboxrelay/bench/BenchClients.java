package io.inboxrelay.bench;

import io.inboxrelay.config.Clients;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Clients built as {@link Clients} builds them (same HTTP client, same retry policy), plus an interceptor. */
public final class BenchClients {

    private static final StaticCredentialsProvider LOCAL = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

    private BenchClients() {
    }

    public static DynamoDbClient dynamo(URI endpoint, ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder().httpClient(Clients.http()).region(Clients.region()).credentialsProvider(LOCAL)
                .endpointOverride(endpoint)
                .overrideConfiguration(c -> {
                    for (ExecutionInterceptor interceptor : interceptors) {
                        c.addExecutionInterceptor(interceptor);
                    }
                })
                .build();
    }

    public static ApiGatewayManagementApiClient management(String endpoint, ExecutionInterceptor interceptor) {
        return ApiGatewayManagementApiClient.builder().httpClient(Clients.http()).region(Clients.region()).credentialsProvider(LOCAL)
                .endpointOverride(URI.create(endpoint))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()).addExecutionInterceptor(interceptor))
                .build();
    }
}
