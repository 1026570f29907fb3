package io.inboxrelay.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

class PrimingTest {

    private static AmazonDynamoDBLocal local;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        local = DynamoDBEmbedded.create();
        dynamo = local.dynamoDbClient();
        dynamo.createTable(request -> request.tableName("SessionsTable")
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("sessionId").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("sessionId").keyType(KeyType.HASH).build()));
    }

    @AfterAll
    static void stop() {
        local.shutdown();
    }

    @Test
    void the_checkpoint_hook_makes_a_real_dynamodb_round_trip() {
        Priming priming = new Priming(dynamo, config("SessionsTable"));

        priming.beforeCheckpoint(null);

        assertThat(priming.primed()).isTrue();
    }

    @Test
    void a_refusal_from_dynamodb_still_counts_as_primed_because_the_client_path_ran() {
        // The functions without read access to the sessions table get AccessDenied in AWS; a missing
        // table is the same kind of answer from the service.
        assertThat(new Priming(dynamo, config("NoSuchTable")).prime()).isTrue();
    }

    @Test
    void an_unreachable_dynamodb_never_fails_the_snapshot() {
        DynamoDbClient unreachable = DynamoDbClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:1"))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(Clients.http())
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .build();
        Priming priming = new Priming(unreachable, config("SessionsTable"));

        priming.beforeCheckpoint(null);

        assertThat(priming.primed()).isFalse();
    }

    @Test
    void register_keeps_a_strong_reference_for_the_container_lifetime() {
        Priming priming = Priming.register(dynamo, config("SessionsTable"));

        assertThat(Priming.registered()).contains(priming);
    }

    @Test
    void a_handler_built_the_way_lambda_builds_it_registers_priming_for_its_client() {
        Map<String, String> env = Map.of("SESSIONS_TABLE", "SessionsTable", "MESSAGES_TABLE", "m", "CONVERSATIONS_TABLE", "c",
                "CONTACTS_TABLE", "k", "EVENTS_TABLE", "e", "CONNECTIONS_TABLE", "n");
        env.forEach(System::setProperty);
        try {
            int before = Priming.registered().size();
            new io.inboxrelay.handler.WebhookHandler();
            assertThat(Priming.registered()).hasSize(before + 1);
        } finally {
            env.keySet().forEach(System::clearProperty);
        }
    }

    private static Config config(String sessionsTable) {
        Map<String, String> env = new HashMap<>();
        for (String table : new String[] {"MESSAGES_TABLE", "CONVERSATIONS_TABLE", "CONTACTS_TABLE", "EVENTS_TABLE", "CONNECTIONS_TABLE"}) {
            env.put(table, table);
        }
        env.put("SESSIONS_TABLE", sessionsTable);
        return Config.from(env);
    }
}
