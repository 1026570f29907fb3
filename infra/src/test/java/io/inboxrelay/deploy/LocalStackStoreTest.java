package io.inboxrelay.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.Direction;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.MessageStatus;
import io.inboxrelay.core.Party;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.ingest.InboxStore.StoreOutcome;
import io.inboxrelay.local.LocalDynamo;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.store.DynamoInboxStore;
import io.inboxrelay.store.DynamoSessionRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The DynamoDB adapters and the stream path against LocalStack, a second emulator beside DynamoDB
 * Local, with the tables created from template.yaml. Runs wherever a Docker engine exists; skipped
 * (not failed) where none does.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackStoreTest {

    @Container
    private static final LocalStackContainer LOCALSTACK =
            new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
                    .withServices(LocalStackContainer.Service.DYNAMODB);

    private static DynamoDbClient dynamo;
    private static DynamoDbStreamsClient streams;
    private static Config config;

    @BeforeAll
    static void createTablesFromTheTemplate() {
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey()));
        dynamo = DynamoDbClient.builder()
                .endpointOverride(LOCALSTACK.getEndpoint())
                .region(Region.of(LOCALSTACK.getRegion()))
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        streams = DynamoDbStreamsClient.builder()
                .endpointOverride(LOCALSTACK.getEndpoint())
                .region(Region.of(LOCALSTACK.getRegion()))
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .build();

        SamTemplate template = SamTemplate.fromRepository();
        Map<String, String> ttl = template.timeToLiveAttributes();
        for (Map.Entry<String, CreateTableRequest> table : template.tables("").entrySet()) {
            dynamo.createTable(table.getValue());
            dynamo.waiter().waitUntilTableExists(r -> r.tableName(table.getKey()));
            if (ttl.containsKey(table.getKey())) {
                dynamo.updateTimeToLive(r -> r.tableName(table.getKey())
                        .timeToLiveSpecification(s -> s.attributeName(ttl.get(table.getKey())).enabled(true)));
            }
        }
        Map<String, String> env = new HashMap<>();
        LocalDynamo.TABLE_ENV.forEach((logicalId, variable) -> env.put(variable, logicalId));
        config = Config.from(env);
    }

    @AfterAll
    static void closeClients() {
        if (dynamo != null) {
            dynamo.close();
            streams.close();
        }
    }

    @Test
    void the_template_tables_exist_with_their_keys_and_the_events_stream() {
        assertThat(dynamo.listTables().tableNames()).containsExactlyInAnyOrderElementsOf(LocalDynamo.TABLE_ENV.keySet());
        TableDescription events = dynamo.describeTable(r -> r.tableName(config.eventsTable())).table();
        assertThat(events.keySchema()).extracting(k -> k.attributeName()).containsExactly("tenantId", "cursor");
        assertThat(events.streamSpecification().streamViewType()).isEqualTo(StreamViewType.NEW_IMAGE);
        assertThat(dynamo.describeTimeToLive(r -> r.tableName(config.connectionsTable())).timeToLiveDescription().attributeName())
                .isEqualTo("expiresAt");
    }

    @Test
    void a_registered_session_is_found_by_the_webhook_path() {
        DynamoSessionRegistry registry = new DynamoSessionRegistry(dynamo, config.sessionsTable());
        Session session = session("ls-session-1", "tenant-ls-1");

        registry.create(session);

        assertThat(registry.find("ls-session-1")).get()
                .extracting(Session::tenantId, Session::provider, Session::secrets)
                .containsExactly("tenant-ls-1", Provider.EVOLUTION, List.of("s3cr3t"));
        assertThat(registry.find("no-such-session")).isEmpty();
    }

    @Test
    void a_message_delivered_twice_is_stored_once_and_reaches_the_stream_once() {
        DynamoInboxStore store = new DynamoInboxStore(dynamo, config, Clock.systemUTC());
        Session session = session("ls-session-2", "tenant-ls-2");
        InboundMessage message = new InboundMessage("ls-msg-1", "ls-msg-1", Direction.LEAD, "5511987654321", false,
                new Party("5511987654321", "+5511987654321", "5511987654321@s.whatsapp.net", "Maria Souza"),
                "Olá", null, Instant.parse("2026-01-05T12:00:00Z"), MessageStatus.SENT);

        assertThat(store.storeMessage(session, message)).isEqualTo(StoreOutcome.STORED);
        assertThat(store.storeMessage(session, message)).isEqualTo(StoreOutcome.DUPLICATE);

        List<JsonNode> pushed = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            pushed.clear();
            pushed.addAll(insertedEventBodies("tenant-ls-2"));
            assertThat(pushed).extracting(body -> body.path("type").asText()).contains("new_message");
        });
        assertThat(pushed).filteredOn(body -> "new_message".equals(body.path("type").asText()))
                .singleElement()
                .satisfies(body -> {
                    assertThat(body.path("tenant_id").asText()).isEqualTo("tenant-ls-2");
                    assertThat(body.path("message").path("id").asText()).isEqualTo("ls-msg-1");
                    assertThat(body.path("message").path("phone").asText()).isEqualTo("+5511987654321");
                });
    }

    /** The NEW_IMAGE bodies of every INSERT of the tenant on the events table's stream, from its start. */
    private static List<JsonNode> insertedEventBodies(String tenantId) {
        String streamArn = dynamo.describeTable(r -> r.tableName(config.eventsTable())).table().latestStreamArn();
        List<JsonNode> bodies = new ArrayList<>();
        for (Shard shard : streams.describeStream(r -> r.streamArn(streamArn)).streamDescription().shards()) {
            String iterator = streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            // An open shard always returns an iterator; stop at the first empty page.
            for (int page = 0; iterator != null && page < 100; page++) {
                String current = iterator;
                var response = streams.getRecords(r -> r.shardIterator(current));
                for (Record record : response.records()) {
                    var image = record.dynamodb().newImage();
                    if (record.eventName() == OperationType.INSERT && tenantId.equals(image.get("tenantId").s())) {
                        bodies.add(Json.parse(image.get("body").s()));
                    }
                }
                if (response.records().isEmpty()) {
                    break;
                }
                iterator = response.nextShardIterator();
            }
        }
        return bodies;
    }

    private static Session session(String sessionId, String tenantId) {
        return new Session(sessionId, tenantId, Provider.EVOLUTION, SignatureKind.STATIC_TOKEN, List.of("s3cr3t"),
                null, List.of(), true, Instant.parse("2026-01-05T11:00:00Z"), null, null, null);
    }
}
