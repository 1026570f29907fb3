package io.inboxrelay.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import io.inboxrelay.local.template.SamTemplate;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Amazon's DynamoDB Local in server mode on loopback (in memory, or persisted to a directory),
 * with the tables of template.yaml created in it. Table names are the template's logical ids.
 */
public final class LocalDynamo implements AutoCloseable {

    /** Logical table id → the environment variable the functions read its name from. */
    public static final Map<String, String> TABLE_ENV = Map.of(
            "SessionsTable", "SESSIONS_TABLE",
            "MessagesTable", "MESSAGES_TABLE",
            "ConversationsTable", "CONVERSATIONS_TABLE",
            "ContactsTable", "CONTACTS_TABLE",
            "EventsTable", "EVENTS_TABLE",
            "ConnectionsTable", "CONNECTIONS_TABLE");

    private final String[] serverArgs;
    private final boolean persisted;
    private volatile DynamoDBProxyServer server;
    private final URI endpoint;
    private final DynamoDbClient client;
    private final DynamoDbStreamsClient streams;

    private LocalDynamo(DynamoDBProxyServer server, String[] serverArgs, boolean persisted, URI endpoint) {
        this.server = server;
        this.serverArgs = serverArgs;
        this.persisted = persisted;
        this.endpoint = endpoint;
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        this.client = DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        this.streams = DynamoDbStreamsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** Starts on a free loopback port, in memory. */
    public static LocalDynamo startInMemory() {
        return start(freePort(), null);
    }

    /**
     * @param port       loopback port
     * @param persistDir directory for the database file, or null to keep everything in memory
     */
    public static LocalDynamo start(int port, Path persistDir) {
        // sharedDb: one database whatever credentials and region a client signs with (a developer's own
        // AWS_ACCESS_KEY_ID must not make the functions see an empty database).
        List<String> args = new ArrayList<>(List.of("-port", String.valueOf(port), "-sharedDb", "-disableTelemetry"));
        if (persistDir == null) {
            args.add("-inMemory");
        } else {
            args.addAll(List.of("-dbPath", persistDir.toAbsolutePath().toString()));
        }
        try {
            String[] serverArgs = args.toArray(String[]::new);
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(serverArgs);
            server.start();
            return new LocalDynamo(server, serverArgs, persistDir != null, URI.create("http://127.0.0.1:" + port));
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local could not start on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** Creates every table of the template (those that already exist, in a persisted database, are kept). */
    public LocalDynamo createTables(SamTemplate template) {
        Map<String, String> ttl = template.timeToLiveAttributes();
        for (Map.Entry<String, CreateTableRequest> table : template.tables("").entrySet()) {
            try {
                client.createTable(table.getValue());
            } catch (ResourceInUseException alreadyThere) {
                continue;
            }
            String ttlAttribute = ttl.get(table.getKey());
            if (ttlAttribute != null) {
                client.updateTimeToLive(request -> request.tableName(table.getValue().tableName())
                        .timeToLiveSpecification(TimeToLiveSpecification.builder().attributeName(ttlAttribute).enabled(true).build()));
            }
        }
        return this;
    }

    /** The environment the functions need to find these tables: table names and DYNAMODB_ENDPOINT. */
    public Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        TABLE_ENV.forEach((logicalId, variable) -> env.put(variable, logicalId));
        env.put("DYNAMODB_ENDPOINT", endpoint.toString());
        return env;
    }

    public URI endpoint() {
        return endpoint;
    }

    public DynamoDbClient client() {
        return client;
    }

    public DynamoDbStreamsClient streams() {
        return streams;
    }

    /**
     * Stops the database server, keeping the clients (fault injection: DynamoDB unreachable).
     * Only a persisted database keeps its data for {@link #restartServer()}.
     */
    public void stopServer() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop cleanly", e);
        }
    }

    /** Starts the database server again on the same port and directory, after {@link #stopServer()}. */
    public void restartServer() {
        if (!persisted) {
            throw new IllegalStateException("an in-memory DynamoDB Local loses its data on stop; restart needs --persist");
        }
        try {
            DynamoDBProxyServer restarted = ServerRunner.createServerFromCommandLineArgs(serverArgs);
            restarted.start();
            server = restarted;
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local could not restart on " + endpoint + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        client.close();
        streams.close();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop cleanly", e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
