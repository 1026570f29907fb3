package io.inboxrelay.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.outbound.GatewayClients;
import io.inboxrelay.core.outbound.GatewayConnection;
import io.inboxrelay.core.outbound.GatewayHttp;
import io.inboxrelay.core.outbound.MediaLimits;
import io.inboxrelay.core.outbound.SendResult;
import io.inboxrelay.local.LocalDynamo;
import io.inboxrelay.secrets.SecretsCiphers;
import io.inboxrelay.store.DynamoSessionRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code run} as a newcomer starts it: the gateway simulator runs and the demo session's gateway credentials point at
 * it, sealed as {@code sessions credentials} seals them, so what the send path does with them (open, build the client,
 * send) reaches the simulator, whose lead answers.
 */
class RunWiresTheDemoSessionTest {

    private static final Map<String, String> ENV = Map.of("JWT_SECRET", "run-wiring-test-secret-run-wiring-test-0123");

    private static JavaProcess run(Path stackFile, String... extra) throws Exception {
        String[] base = {"run", "--http-port", "0", "--ws-port", "0", "--sqs-port", "0",
                "--dynamo-port", String.valueOf(LocalDynamo.freePort()), "--stack-file", stackFile.toString()};
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra)).toArray(String[]::new);
        JavaProcess stack = JavaProcess.start(ENV, args);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (!Files.exists(stackFile) && stack.process.isAlive() && Instant.now().isBefore(deadline)) {
            stack.process.waitFor(100, TimeUnit.MILLISECONDS);
        }
        assertThat(stackFile).as("the stack came up: %s", stack.err()).exists();
        return stack;
    }

    private static DynamoDbClient dynamo(JsonNode stack) {
        return DynamoDbClient.builder().endpointOverride(URI.create(stack.path("dynamodb").asText())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static Optional<GatewayConnection> demoConnection(DynamoDbClient dynamo) {
        return new DynamoSessionRegistry(dynamo, "SessionsTable", SecretsCiphers.local(), true).gatewayConnection("demo-session");
    }

    private static void await(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as(what).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }

    @Test
    void run_starts_the_simulator_with_the_demo_session_s_credentials_so_a_reply_goes_out_and_the_lead_answers(@TempDir Path work)
            throws Exception {
        Path stackFile = work.resolve("stack.json");
        try (JavaProcess process = run(stackFile, "--simulator-port", "0")) {
            JsonNode stack = Json.parse(Files.readString(stackFile));
            assertThat(stack.path("simulator").asText()).startsWith("http://127.0.0.1:");
            assertThat(stack.path("sqs").asText()).startsWith("http://127.0.0.1:");
            try (DynamoDbClient dynamo = dynamo(stack)) {
                GatewayConnection connection = demoConnection(dynamo).orElseThrow();
                assertThat(connection.provider()).isEqualTo(Provider.INBOX_HUB);
                assertThat(connection.baseUrl()).hasToString(stack.path("simulator").asText() + "/inboxhub");
                assertThat(connection.credential().reveal()).isEqualTo(stack.path("simulatorApiKey").asText());

                String text = "reply " + UUID.randomUUID();
                SendResult sent = new GatewayClients(GatewayHttp.createDefault(), MediaLimits.MAX_PROXY_BYTES).forConnection(connection)
                        .sendText("+573001234567", text, null);
                assertThat(sent.messageId()).isNotBlank();
                await("the echo is stored under the demo tenant, then the lead's answer", () -> dynamo.scanPaginator(r -> r.tableName("MessagesTable")
                        .consistentRead(true)).items().stream()
                        .filter(item -> item.get("pk").s().startsWith("demo-tenant#") && item.containsKey("text"))
                        .map(item -> item.get("text").s())
                        .filter(stored -> stored.equals(text) || stored.startsWith("Thanks, got it: reply "))
                        .count() == 2);
            }
            process.signal("TERM");
            assertThat(process.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.out()).contains("Gateway simulator", "reply from the page at", "--no-simulator");
            assertThat(process.err()).isEmpty();
        }
    }

    @Test
    void run_with_no_simulator_leaves_the_demo_session_without_gateway_credentials(@TempDir Path work) throws Exception {
        Path stackFile = work.resolve("stack.json");
        try (JavaProcess process = run(stackFile, "--no-simulator")) {
            JsonNode stack = Json.parse(Files.readString(stackFile));
            assertThat(stack.has("simulator")).isFalse();
            try (DynamoDbClient dynamo = dynamo(stack)) {
                assertThat(demoConnection(dynamo)).isEmpty();
            }
            process.signal("TERM");
            assertThat(process.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.out()).contains("No gateway simulator (--no-simulator)", "sessions credentials --session demo-session");
        }
    }

    @Test
    void no_simulator_with_a_simulator_option_is_a_usage_error() throws Exception {
        CliRunner.Result result = JavaProcess.run(ENV, "run", "--no-simulator", "--simulator-port", "4002");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).startsWith("inbox-relay run: --no-simulator contradicts --simulator-port");
    }

    @Test
    void a_second_stack_started_without_naming_the_sqs_and_simulator_ports_takes_free_ones_instead_of_failing(@TempDir Path work)
            throws Exception {
        // What scripts that run two stacks side by side (own --http-port, --ws-port, --dynamo-port) meet: the defaults taken.
        Path stackFile = work.resolve("stack.json");
        try (ServerSocket sqs = occupy(9324); ServerSocket simulator = occupy(3002)) {
            String[] args = {"run", "--http-port", "0", "--ws-port", "0", "--dynamo-port", String.valueOf(LocalDynamo.freePort()),
                    "--stack-file", stackFile.toString()};
            try (JavaProcess stack = JavaProcess.start(ENV, args)) {
                Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
                while (!Files.exists(stackFile) && stack.process.isAlive() && Instant.now().isBefore(deadline)) {
                    stack.process.waitFor(100, TimeUnit.MILLISECONDS);
                }
                assertThat(stackFile).as("the stack came up: %s", stack.err()).exists();
                JsonNode started = Json.parse(Files.readString(stackFile));
                assertThat(URI.create(started.path("sqs").asText()).getPort()).isNotIn(9324, 0);
                assertThat(URI.create(started.path("simulator").asText()).getPort()).isNotIn(3002, 0);
            }
        }
    }

    /** The port, held by this test; or, when something else already holds it, a socket on any port (it is taken either way). */
    private static ServerSocket occupy(int port) throws IOException {
        try {
            return new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"));
        } catch (IOException alreadyTaken) {
            return new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        }
    }

    @Test
    void a_taken_simulator_port_says_which_option_moves_it_or_leaves_it_out() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CliRunner.Result result = JavaProcess.run(ENV, "run", "--http-port", "0", "--ws-port", "0", "--sqs-port", "0",
                    "--dynamo-port", String.valueOf(LocalDynamo.freePort()), "--simulator-port", String.valueOf(taken.getLocalPort()));

            assertThat(result.code()).isEqualTo(1);
            assertThat(result.err().lines()).hasSize(1);
            assertThat(result.err()).contains("port " + taken.getLocalPort() + " (gateway simulator) is already in use",
                    "--simulator-port <port>", "--no-simulator");
        }
    }
}
