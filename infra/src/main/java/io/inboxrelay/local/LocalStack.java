package io.inboxrelay.local;

import io.inboxrelay.local.http.HttpApiHandler;
import io.inboxrelay.local.lambda.LocalFunction;
import io.inboxrelay.local.lambda.LocalFunctions;
import io.inboxrelay.local.queue.LocalQueue;
import io.inboxrelay.local.queue.LocalQueues;
import io.inboxrelay.local.queue.QueuePoller;
import io.inboxrelay.local.queue.SqsEndpoint;
import io.inboxrelay.local.stream.OnFailureRecord;
import io.inboxrelay.local.stream.StreamPoller;
import io.inboxrelay.local.template.QueueTriggerSpec;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.local.template.StreamMappingSpec;
import io.inboxrelay.local.ws.WebSocketApi;
import io.inboxrelay.local.ws.WsLimits;
import io.inboxrelay.secrets.SecretsCiphers;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system on one machine: DynamoDB Local with the template's tables, the HTTP API, the
 * WebSocket API with its {@code @connections} endpoint, the stream pollers, and the template's SQS
 * queues with their pollers and an SQS endpoint the functions' SDK clients call, all running the template's own handler classes. Functions read their configuration through {@code Env}, so the
 * stack sets it as JVM system properties (restored on close).
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    public static final String HOST = "127.0.0.1";

    /**
     * @param httpPort   the HTTP API's port (0: any free port)
     * @param wsPort     the WebSocket API's port (0: any free port)
     * @param dynamoPort DynamoDB Local's port (0: any free port)
     * @param persistDir where DynamoDB Local keeps its data, or null for in memory
     * @param limits     the WebSocket quotas
     * @param timing     how fast the stream pollers poll and retry
     * @param jwtSecret  the HS256 secret the functions verify browser tokens with
     * @param sqsPort    the SQS endpoint's port (0: any free port)
     */
    public record Options(int httpPort, int wsPort, int dynamoPort, Path persistDir, WsLimits limits,
                          StreamPoller.Timing timing, String jwtSecret, int sqsPort) {

        /** The SQS endpoint's default port: ElasticMQ's, which SQS tooling for local use already expects. */
        public static final int DEFAULT_SQS_PORT = 9324;

        public static Options defaults(String jwtSecret) {
            return new Options(3000, 3001, 8000, null, WsLimits.AWS, StreamPoller.Timing.FAST, jwtSecret, DEFAULT_SQS_PORT);
        }

        /** Free ports, in memory: what tests use. */
        public static Options ephemeral(String jwtSecret) {
            return new Options(0, 0, 0, null, WsLimits.AWS, StreamPoller.Timing.FAST, jwtSecret, 0);
        }

        public Options withLimits(WsLimits value) {
            return new Options(httpPort, wsPort, dynamoPort, persistDir, value, timing, jwtSecret, sqsPort);
        }

        public Options withPorts(int http, int ws, int dynamo) {
            return new Options(http, ws, dynamo, persistDir, limits, timing, jwtSecret, sqsPort);
        }

        public Options withSqsPort(int value) {
            return new Options(httpPort, wsPort, dynamoPort, persistDir, limits, timing, jwtSecret, value);
        }

        public Options withPersistDir(Path value) {
            return new Options(httpPort, wsPort, dynamoPort, value, limits, timing, jwtSecret, sqsPort);
        }
    }

    private final SamTemplate template;
    private final Options options;
    private final String stage;
    private final Map<String, String> previousProperties = new LinkedHashMap<>();
    private final List<StreamPoller> pollers = new ArrayList<>();
    private final List<QueuePoller> queuePollers = new ArrayList<>();
    private LocalQueues queues;
    private SqsEndpoint sqsEndpoint;
    private LocalDynamo dynamo;
    private Server sqsServer;
    private Server httpServer;
    private Server wsServer;
    private WebSocketApi webSocketApi;
    private LocalFunctions functions;

    private LocalStack(SamTemplate template, Options options) {
        this.template = template;
        this.options = options;
        this.stage = template.stage();
    }

    public static LocalStack start(SamTemplate template, Options options) {
        LocalStack stack = new LocalStack(template, options);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() {
        int dynamoPort = options.dynamoPort() == 0 ? LocalDynamo.freePort() : requireFree(options.dynamoPort(), "DynamoDB Local", "--dynamo-port");
        if (options.httpPort() != 0) {
            requireFree(options.httpPort(), "HTTP API", "--http-port");
        }
        if (options.wsPort() != 0) {
            requireFree(options.wsPort(), "WebSocket API", "--ws-port");
        }
        if (options.sqsPort() != 0) {
            requireFree(options.sqsPort(), "SQS endpoint", "--sqs-port");
        }
        dynamo = LocalDynamo.start(dynamoPort, options.persistDir()).createTables(template);
        functions = new LocalFunctions(template, LocalStack.class.getClassLoader());
        functions.all().values().stream().filter(function -> !function.available()).forEach(function ->
                LOG.atWarn().addKeyValue("function", function.name()).addKeyValue("handler", function.spec().handler())
                        .log("handler class not on the classpath; its routes answer 500 until it exists"));

        httpServer = server("http");
        httpServer.setHandler(new HttpApiHandler(template.httpRoutes(), functions, stage));
        startServer(httpServer, options.httpPort(), "HTTP API", "--http-port");

        wsServer = server("ws");
        template.webSocketApi().ifPresentOrElse(spec -> {
            webSocketApi = new WebSocketApi(spec, functions, stage, options.limits());
            wsServer.setHandler(webSocketApi.handler(wsServer));
        }, () -> wsServer.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                  org.eclipse.jetty.util.Callback callback) {
                org.eclipse.jetty.server.Response.writeError(request, response, callback, 404);
                return true;
            }
        }));
        startServer(wsServer, options.wsPort(), "WebSocket API", "--ws-port");

        queues = new LocalQueues(template);
        sqsEndpoint = new SqsEndpoint(queues);
        sqsServer = server("sqs");
        sqsServer.setHandler(sqsEndpoint);
        startServer(sqsServer, options.sqsPort(), "SQS endpoint", "--sqs-port");
        sqsEndpoint.endpoint(sqsEndpoint());

        setEnvironment();
        for (QueueTriggerSpec trigger : template.queueTriggers()) {
            startQueuePoller(trigger);
        }
        for (StreamMappingSpec mapping : template.streamMappings()) {
            if (!mapping.enabled()) {
                continue;
            }
            LocalFunction function = functions.get(mapping.functionId()).orElseThrow();
            pollers.add(new StreamPoller(mapping, function, dynamo.client(), dynamo.streams(), SamTemplate.LOCAL_REGION, options.timing(),
                    onFailureDestination(mapping)).start());
        }
    }

    /** Where the mapping's given-up batches go: the template's SQS queue it names, as Lambda sends them; else only the log. */
    private java.util.function.Consumer<OnFailureRecord> onFailureDestination(StreamMappingSpec mapping) {
        java.util.Optional<LocalQueue> queue = queues.forDestination(mapping.onFailure());
        if (queue.isEmpty()) {
            if (mapping.onFailure() != null) {
                LOG.atWarn().addKeyValue("function", mapping.functionId()).addKeyValue("destination", mapping.onFailure())
                        .log("on-failure destination is not an SQS queue of the template; records given up on are only logged");
            }
            return record -> { };
        }
        return record -> queue.get().send(io.inboxrelay.core.Json.write(record.body()));
    }

    private void startQueuePoller(QueueTriggerSpec trigger) {
        LocalFunction function = functions.get(trigger.functionId()).orElseThrow();
        java.util.Optional<LocalQueue> queue = queues.get(trigger.queueId());
        if (!trigger.enabled()) {
            return;
        }
        if (queue.isEmpty()) {
            LOG.atWarn().addKeyValue("function", trigger.functionId()).addKeyValue("queue", trigger.queueId())
                    .log("SQS trigger skipped: its Queue is not an AWS::SQS::Queue of the template");
            return;
        }
        if (!function.available()) {
            LOG.atWarn().addKeyValue("function", trigger.functionId()).addKeyValue("handler", function.spec().handler())
                    .addKeyValue("queue", trigger.queueId())
                    .log("SQS trigger skipped: handler class not on the classpath; messages wait in the queue");
            return;
        }
        queuePollers.add(new QueuePoller(trigger, queue.get(), function, SamTemplate.LOCAL_REGION, options.timing().pollInterval()).start());
    }

    /** The union of the functions' template environments, then what only the local stack knows. */
    private void setEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        template.functions().values().forEach(function -> environment.putAll(function.environment()));
        environment.putAll(dynamo.environment());
        // A function's !Ref to a queue is the queue's URL in AWS; here, the URL on the local SQS endpoint,
        // which the functions' SQS client reaches through SQS_ENDPOINT as their DynamoDB client does DYNAMODB_ENDPOINT.
        template.queueUrlVariables().forEach((variable, queueId) -> environment.put(variable, sqsEndpoint.queueUrl(queue(queueId))));
        environment.put("SQS_ENDPOINT", sqsEndpoint().toString());
        environment.put("WS_MANAGEMENT_ENDPOINT", managementEndpoint().toString());
        environment.put("WS_DOMAIN_NAME", HOST + ":" + wsPort());
        environment.put("WS_STAGE", stage);
        environment.put("AWS_REGION", SamTemplate.LOCAL_REGION);
        // Locally the sessions tool changes the registry from another process and a developer expects
        // a disable to act at once; in AWS a webhook container keeps a session SESSION_CACHE_SECONDS (10).
        environment.put("SESSION_CACHE_SECONDS", "0");
        // DynamoDB Local on a loaded laptop is not DynamoDB: a call can take seconds. The bound stays a
        // bound (an overlap of 3 × it still fits RESUME_OVERLAP_MS), but one that a busy machine does not
        // turn into 503s and retry storms; it stays under the webhook function's 10 s timeout.
        environment.put("DYNAMODB_CALL_TIMEOUT_MS", "8000");
        if (options.jwtSecret() != null) {
            environment.put("JWT_SECRET", options.jwtSecret());
        }
        // Session secrets are sealed as in AWS, with the local key (.local-data/sessions-key, 0600) in place of
        // the template's KMS key: the same envelopes, the same code path (io.inboxrelay.secrets.SecretsCiphers).
        environment.put(SecretsCiphers.KEY_ARN_VARIABLE, "");
        environment.forEach((name, value) -> {
            previousProperties.putIfAbsent(name, System.getProperty(name));
            System.setProperty(name, value);
        });
    }

    private static Server server(String name) {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName(name);
        threads.setDaemon(true);
        Server server = new Server(threads);
        server.setStopTimeout(2000);
        // Requests Jetty refuses before any route (ambiguous or suspicious path encoding) are answered
        // in JSON, as API Gateway answers, not with Jetty's HTML page.
        server.setErrorHandler(new org.eclipse.jetty.server.handler.ErrorHandler() {
            // Jetty writes an error body for GET, POST and HEAD only; PUT /admin/sessions/{id}/gateway gets one too.
            @Override
            public boolean errorPageForMethod(String method) {
                return true;
            }

            @Override
            protected void generateResponse(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                            int code, String message, Throwable cause, org.eclipse.jetty.util.Callback callback)
                    throws IOException {
                com.fasterxml.jackson.databind.node.ObjectNode body = io.inboxrelay.core.Json.object();
                body.put("message", message == null ? org.eclipse.jetty.http.HttpStatus.getMessage(code) : message);
                response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE, "application/json");
                response.write(true, java.nio.ByteBuffer.wrap(io.inboxrelay.core.Json.write(body).getBytes(java.nio.charset.StandardCharsets.UTF_8)), callback);
            }
        });
        return server;
    }

    private static void startServer(Server server, int port, String what, String option) {
        HttpConfiguration http = new HttpConfiguration();
        // SDK calls carry signed headers that never repeat (X-Amz-Date, Authorization): Jetty's per-connection
        // header cache only fills up with them, and its lookups took a quarter of the CPU under fan-out load.
        http.setHeaderCacheSize(0);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(HOST);
        connector.setPort(port);
        server.addConnector(connector);
        try {
            server.start();
        } catch (IOException e) {
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new PortInUseException(what, port, option);
            }
            throw new IllegalStateException(what + " could not start: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException(what + " could not start: " + e.getMessage(), e);
        }
    }

    private static int requireFree(int port, String what, String option) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return port;
        } catch (IOException e) {
            throw new PortInUseException(what, port, option);
        }
    }

    private static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    public int httpPort() {
        return port(httpServer);
    }

    public int wsPort() {
        return port(wsServer);
    }

    public String stage() {
        return stage;
    }

    /** e.g. http://127.0.0.1:3000 */
    public URI httpUrl() {
        return URI.create("http://" + HOST + ":" + httpPort());
    }

    public int sqsPort() {
        return port(sqsServer);
    }

    /** e.g. http://127.0.0.1:9324: the endpoint override for SqsClients (SQS_ENDPOINT). */
    public URI sqsEndpoint() {
        return URI.create("http://" + HOST + ":" + sqsPort());
    }

    /** A queue's URL on the local SQS endpoint, e.g. http://127.0.0.1:9324/000000000000/OutboxQueue.fifo */
    public String queueUrl(String logicalId) {
        return sqsEndpoint.queueUrl(queue(logicalId));
    }

    /** e.g. ws://127.0.0.1:3001/prod */
    public URI webSocketUrl() {
        return URI.create("ws://" + HOST + ":" + wsPort() + "/" + stage);
    }

    /** e.g. http://127.0.0.1:3001/prod: the endpoint override for ApiGatewayManagementApi clients. */
    public URI managementEndpoint() {
        return URI.create("http://" + HOST + ":" + wsPort() + "/" + stage);
    }

    public LocalDynamo dynamo() {
        return dynamo;
    }

    /** The WebSocket API (fault injection on its {@code @connections} endpoint); empty when the template has none. */
    public java.util.Optional<WebSocketApi> webSocketApi() {
        return java.util.Optional.ofNullable(webSocketApi);
    }

    /** A function of the template by logical id (fault injection). */
    public LocalFunction function(String logicalId) {
        return functions.get(logicalId).orElseThrow(() -> new IllegalArgumentException("no function " + logicalId));
    }

    public List<StreamPoller> streamPollers() {
        return List.copyOf(pollers);
    }

    /** The SQS event source mappings that run (those whose handler class exists). */
    public List<QueuePoller> queuePollers() {
        return List.copyOf(queuePollers);
    }

    /** An SQS queue of the template by logical id. */
    public LocalQueue queue(String logicalId) {
        return queues.get(logicalId).orElseThrow(() -> new IllegalArgumentException("no queue " + logicalId));
    }

    public Duration idleTimeout() {
        return options.limits().idleTimeout();
    }

    @Override
    public void close() {
        pollers.forEach(StreamPoller::close);
        queuePollers.forEach(QueuePoller::close);
        for (Server server : new Server[] {wsServer, httpServer, sqsServer}) {
            if (server != null) {
                try {
                    server.stop();
                } catch (Exception e) {
                    LOG.atWarn().log("server did not stop cleanly: {}", e.toString());
                }
            }
        }
        if (webSocketApi != null) {
            webSocketApi.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
        previousProperties.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
    }
}
