package io.inboxrelay.local.cli;

import io.inboxrelay.local.LocalStack;
import java.net.URI;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB a tool talks to: the running local stack's DynamoDB Local ({@code --dynamo-port}),
 * or with {@code --aws} the deployed tables with the default AWS credentials and region.
 */
final class Dynamo {

    private Dynamo() {
    }

    static boolean aws(Args args) {
        return args.has("aws");
    }

    /** Runs {@code work} with a client, turning an unreachable or refusing DynamoDB into a one-line failure. */
    static <T> T with(Args args, Function<DynamoDbClient, T> work) {
        boolean aws = aws(args);
        URI endpoint = URI.create("http://" + LocalStack.HOST + ":" + args.port("dynamo-port", 8000));
        var builder = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
        if (!aws) {
            builder.endpointOverride(endpoint).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        }
        DynamoDbClient client;
        try {
            client = builder.build();
        } catch (SdkClientException e) {
            throw new CommandFailure("cannot set up the AWS client: " + e.getMessage());
        }
        try (client) {
            return work.apply(client);
        } catch (SdkClientException e) {
            throw new CommandFailure(aws ? "cannot reach DynamoDB: " + e.getMessage()
                    : "cannot reach DynamoDB Local at " + endpoint + " - is the local stack running? (inbox-relay run)");
        } catch (SdkException e) {
            throw new CommandFailure("DynamoDB refused: " + e.getMessage());
        }
    }
}
