package io.inboxrelay.local;

import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import io.inboxrelay.local.template.SamTemplate;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
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
 *
 * <p>DynamoDB Local authenticates nobody and holds the session registry, so it must not be reachable
 * from the network: {@code DynamoDBProxyServer} binds every interface, hence our own Jetty server
 * around its request handler, with one connector on 127.0.0.1. Browsers are kept out too: no CORS
 * origin is allowed, and a request that carries an {@code Origin} header (only browsers send one) or
 * names a non-loopback {@code Host} (DNS rebinding) is refused 403.
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

    /** The one interface DynamoDB Local listens on. */
    public static final String HOST = "127.0.0.1";

    private final int port;
    private final Path persistDir;
    private volatile Running server;
    private final URI endpoint;
    private final DynamoDbClient client;
    private final DynamoDbStreamsClient streams;

    /** A started Jetty server and the DynamoDB Local handler it serves (closed with it). */
    private record Running(Server jetty, LocalDynamoDBServerHandler handler) {

        void stop() throws Exception {
            try {
                jetty.stop();
            } finally {
                handler.close();
            }
        }
    }

    private LocalDynamo(Running server, int port, Path persistDir, URI endpoint) {
        this.server = server;
        this.port = port;
        this.persistDir = persistDir;
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
        Running server = serve(port, persistDir);
        return new LocalDynamo(server, port, persistDir, URI.create("http://" + HOST + ":" + port));
    }

    /**
     * What {@code ServerRunner -port P -sharedDb -disableTelemetry [-inMemory | -dbPath D]} builds, on our own
     * loopback connector. sharedDb: one database whatever credentials and region a client signs with (a
     * developer's own AWS_ACCESS_KEY_ID must not make the functions see an empty database).
     */
    private static Running serve(int port, Path persistDir) {
        LocalDynamoDBServerHandler handler;
        try {
            handler = new LocalDynamoDBServerHandler(new LocalDynamoDBRequestHandler(0, persistDir == null,
                    persistDir == null ? null : persistDir.toAbsolutePath().toString(), true, false), NO_CORS_ORIGINS);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local could not start: " + e.getMessage(), e);
        }
        QueuedThreadPool threads = new QueuedThreadPool(64, 2);
        threads.setName("dynamodb-local");
        threads.setDaemon(true);
        Server jetty = new Server(threads);
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(HOST);
        connector.setPort(port);
        jetty.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        context.setHandler(handler);
        jetty.setHandler(new LoopbackOnly(context));
        // Not graceful: the SDK clients hold keep-alive connections open, which a graceful stop would wait for.
        jetty.setStopTimeout(0);
        try {
            jetty.start();
            return new Running(jetty, handler);
        } catch (Exception e) {
            try {
                jetty.stop();
            } catch (Exception ignored) {
                // already failing
            }
            handler.close();
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new PortInUseException("DynamoDB Local", port, "--dynamo-port");
            }
            throw new IllegalStateException("DynamoDB Local could not start on " + HOST + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** DynamoDB Local's CORS setting: a comma-separated list of allowed origins; none. */
    static final String NO_CORS_ORIGINS = "";

    /** Refuses what only a browser (Origin) or a rebinding attack (a Host that is not loopback) sends. */
    static final class LoopbackOnly extends Handler.Wrapper {

        LoopbackOnly(Handler handler) {
            super(handler);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String host = request.getHttpURI().getHost();
            if (request.getHeaders().get("Origin") != null || !isLoopbackName(host)) {
                Response.writeError(request, response, callback, 403, "DynamoDB Local serves local processes only");
                return true;
            }
            return super.handle(request, response, callback);
        }
    }

    /** 127.0.0.1 / localhost / ::1 (as a Host header names them). */
    public static boolean isLoopbackName(String host) {
        if (host == null) {
            return false;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return bare.equals("127.0.0.1") || bare.equalsIgnoreCase("localhost") || bare.equals("::1");
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

    /** The port DynamoDB Local listens on (on {@link #HOST} only). */
    public int port() {
        return port;
    }

    /** Starts the database server again on the same port and directory, after {@link #stopServer()}. */
    public void restartServer() {
        if (persistDir == null) {
            throw new IllegalStateException("an in-memory DynamoDB Local loses its data on stop; restart needs --persist");
        }
        server = serve(port, persistDir);
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
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
