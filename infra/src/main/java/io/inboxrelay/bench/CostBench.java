package io.inboxrelay.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.Json;
import io.inboxrelay.handler.FanoutHandler;
import io.inboxrelay.handler.WebhookHandler;
import io.inboxrelay.local.DemoTenant;
import io.inboxrelay.local.LocalStack;
import io.inboxrelay.push.Backoff;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What a stored message and a delivered event cost: the webhook and fan-out handlers, built with
 * clients that count every request and ask DynamoDB for its consumed capacity. DynamoDB Local's
 * consumed capacity is its own accounting, not AWS's: the AWS figure is computed from the item
 * images with AWS's rules ({@link AwsUnitsMeter}, {@link AwsCapacity}), whatever the write path does.
 */
public final class CostBench {

    /**
     * Per stored message: requests, write requests, DynamoDB Local's own consumed capacity ({@code localWriteUnitsPerMessage},
     * {@code localReadUnitsPerMessage}: never AWS's figure), and what the same writes cost in AWS, computed from item sizes
     * ({@code aws}: messages to 20 conversations; {@code awsHot}: all to one conversation); per event: DynamoDB requests, posts
     * per connection.
     */
    public record Result(int messages, Map<String, Long> ingestRequests, double requestsPerMessage, double writeRequestsPerMessage,
                         double localWriteUnitsPerMessage, double localReadUnitsPerMessage, Map<String, Double> meanMillis,
                         AwsUnits aws, AwsUnits awsHot,
                         int connections, int events, int batch, double dynamoRequestsPerEvent, double postsPerEventPerConnection) {
    }

    /**
     * AWS write and read units of a run of stored messages, computed by {@link AwsUnitsMeter} with {@link AwsCapacity}.
     *
     * @param messages      stored messages in the run
     * @param total         every item write
     * @param byTable       per table
     * @param byKind        per request kind (PutItem, TransactWriteItems.Put, ...)
     * @param reads         read units per operation
     * @param failedWrites  write requests that failed (not charged)
     */
    public record AwsUnits(int messages, AwsUnitsMeter.Tally total, Map<String, AwsUnitsMeter.Tally> byTable,
                           Map<String, AwsUnitsMeter.Tally> byKind, Map<String, Double> reads, long failedWrites) {

        public double writeUnitsPerMessage() {
            return (double) total.units() / messages;
        }

        /** The same if AWS doubled the index writes of a transaction too (the docs leave it open; see AwsCapacity). */
        public double writeUnitsPerMessageIfIndexDoubled() {
            return (double) (total.baseUnits() + total.indexUnitsIfDoubled()) / messages;
        }

        public double readUnitsPerMessage() {
            return reads.values().stream().mapToDouble(Double::doubleValue).sum() / messages;
        }

        static AwsUnits of(int messages, AwsUnitsMeter meter) {
            return new AwsUnits(messages, meter.total(), meter.byTable(), meter.byKind(), meter.reads(), meter.failedWrites());
        }
    }

    /** Reads events as Lambda's runtime does: property names case-insensitive ("Records", "NewImage", "S"). */
    static final com.fasterxml.jackson.databind.ObjectMapper LAMBDA_EVENTS = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final LocalStack stack;
    private final DemoTenant tenant;
    private final FakeManagementEndpoint endpoint;

    public CostBench(LocalStack stack, DemoTenant tenant, FakeManagementEndpoint endpoint) {
        this.stack = stack;
        this.tenant = tenant;
        this.endpoint = endpoint;
    }

    public Result run(int messages, int connections, int events, int batch) throws Exception {
        // The webhook function as deployed: it keeps a session SESSION_CACHE_SECONDS (10), so a steady stream
        // reads the registry once per container per 10 s, not per message (the local stack sets 0 for its tool).
        java.util.Map<String, String> env = new java.util.HashMap<>(io.inboxrelay.config.Env.all());
        env.put("SESSION_CACHE_SECONDS", "10");
        Config config = Config.from(env);
        CountingInterceptor ingest = new CountingInterceptor();
        // AWS's units, computed from the item images before and after each write; its reads go through the stack's
        // own client, which nothing counts. Registered first: the SDK runs afterExecution hooks in reverse order, so
        // the counting interceptor takes its latency before the meter reads the items back.
        AwsUnitsMeter aws = new AwsUnitsMeter(stack.dynamo().client());
        DynamoDbClient ingestDynamo = BenchClients.dynamo(stack.dynamo().endpoint(), aws, ingest);
        WebhookHandler webhook = new WebhookHandler(ingestDynamo, config, Clock.systemUTC());
        Webhooks webhooks = new Webhooks(null, tenant.secret());
        String run = Long.toString(System.nanoTime(), 36);
        // One webhook first so the session's lastWebhookAt (written at most once a minute) is not charged to the sample.
        invoke(webhook, webhooks, "cost-" + run + "-warm", 0);
        ingest.reset();
        aws.reset();
        store(webhook, webhooks, "cost-" + run + "-", messages, i -> 1 + i % SPREAD);
        Map<String, Double> latency = new HashMap<>();
        ingest.requests().keySet().forEach(operation -> latency.put(operation, ingest.meanMillis(operation)));
        Map<String, Long> requests = ingest.requests();
        double requestsPerMessage = (double) ingest.totalRequests() / messages;
        double writeRequestsPerMessage = (double) ingest.writeRequests() / messages;
        double localWrite = ingest.writeUnits() / messages;
        double localRead = ingest.readUnits() / messages;
        AwsUnits spread = AwsUnits.of(messages, aws);
        // Hot: the same number of messages, all into one conversation (already created by the spread run).
        aws.reset();
        store(webhook, webhooks, "cost-" + run + "-hot-", messages, i -> 1);
        AwsUnits hot = AwsUnits.of(messages, aws);

        CountingInterceptor fanoutDynamo = new CountingInterceptor();
        CountingInterceptor posts = new CountingInterceptor();
        FanoutBench setup = new FanoutBench(stack.dynamo().client(), endpoint);
        setup.register(connections);
        ApiGatewayManagementApiClient management = BenchClients.management(endpoint.endpoint(), posts);
        FanoutHandler fanout = new FanoutHandler(BenchClients.dynamo(stack.dynamo().endpoint(), fanoutDynamo), management, config, Backoff.DEFAULT);
        for (int from = 0; from < events; from += batch) {
            var response = fanout.handleRequest(streamEvent(FanoutBench.tenant(connections), from, Math.min(batch, events - from)), null);
            if (!response.getBatchItemFailures().isEmpty()) {
                throw new IllegalStateException("fan-out reported failures in the cost run");
            }
        }
        return new Result(messages, requests, requestsPerMessage, writeRequestsPerMessage, localWrite, localRead, latency, spread, hot,
                connections, events, batch, (double) fanoutDynamo.totalRequests() / events,
                (double) posts.requests("PostToConnection") / events / connections);
    }

    /** Conversations of the tenant the cost run spreads its messages over. */
    static final int SPREAD = 20;

    /** Sends {@code messages} webhooks one at a time (so before/after images are exact) and checks every one was stored. */
    private static void store(WebhookHandler webhook, Webhooks webhooks, String prefix, int messages,
                              java.util.function.IntUnaryOperator conversation) {
        int stored = 0;
        for (int i = 0; i < messages; i++) {
            stored += invoke(webhook, webhooks, prefix + i, conversation.applyAsInt(i)) ? 1 : 0;
        }
        if (stored != messages) {
            throw new IllegalStateException("only " + stored + " of " + messages + " cost-run webhooks were stored");
        }
    }

    private static boolean invoke(WebhookHandler handler, Webhooks webhooks, String id, int conversation) {
        APIGatewayV2HTTPResponse response = call(handler, webhooks, id, conversation);
        return response.getStatusCode() == 200 && response.getBody().contains("\"stored\"");
    }

    /** One signed webhook straight into the handler, as the HTTP API would hand it over. */
    static APIGatewayV2HTTPResponse call(WebhookHandler handler, Webhooks webhooks, String id, int conversation) {
        byte[] body = Webhooks.body(id, conversation, Instant.now());
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setBody(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        event.setIsBase64Encoded(false);
        Map<String, String> headers = new HashMap<>(webhooks.headers(body));
        headers.put("content-type", "application/json");
        event.setHeaders(headers);
        event.setPathParameters(Map.of("sessionId", DemoTenant.SESSION));
        APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod("POST");
        http.setSourceIp("127.0.0.1");
        context.setHttp(http);
        event.setRequestContext(context);
        return handler.handleRequest(event, null);
    }

    /** A stream batch of new_message events of the tenant, as the event source mapping hands it over. */
    static DynamodbEvent streamEvent(String tenant, int from, int count) {
        ObjectNode root = Json.object();
        ArrayNode records = root.putArray("Records");
        for (int i = from; i < from + count; i++) {
            String cursor = String.format(java.util.Locale.ROOT, "%013d-cost%06d", System.currentTimeMillis(), i);
            ObjectNode record = records.addObject();
            record.put("eventID", "cost" + i);
            record.put("eventName", "INSERT");
            record.put("eventSource", "aws:dynamodb");
            ObjectNode dynamodb = record.putObject("dynamodb");
            dynamodb.put("SequenceNumber", String.format(java.util.Locale.ROOT, "%020d", i + 1));
            dynamodb.put("StreamViewType", "NEW_IMAGE");
            ObjectNode image = dynamodb.putObject("NewImage");
            image.putObject("tenantId").put("S", tenant);
            image.putObject("cursor").put("S", cursor);
            image.putObject("type").put("S", "new_message");
            image.putObject("channel").put("S", "messages");
            image.putObject("body").put("S", String.format(FanoutBench.BODY, tenant));
            image.putObject("createdAt").put("N", Long.toString(System.currentTimeMillis()));
        }
        return LAMBDA_EVENTS.convertValue(root, DynamodbEvent.class);
    }
}
