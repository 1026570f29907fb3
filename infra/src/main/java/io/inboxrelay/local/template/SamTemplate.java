package io.inboxrelay.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.inboxrelay.core.Json;
import io.inboxrelay.local.template.WebSocketApiSpec.Authorizer;
import io.inboxrelay.local.template.WebSocketApiSpec.Route;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;

/**
 * template.yaml, read as the single source of truth for what the local stack stands up. The YAML
 * reader drops CloudFormation's short-form tags and keeps their operands ({@code !Ref X} reads as
 * {@code "X"}), which is all the local stack needs.
 */
public final class SamTemplate {

    private final JsonNode root;

    private SamTemplate(JsonNode root) {
        this.root = root;
    }

    public static SamTemplate load(Path file) {
        try {
            return new SamTemplate(new YAMLMapper().readTree(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The repository's template: system property {@code template.file}, else ./template.yaml or ../template.yaml. */
    public static SamTemplate fromRepository() {
        String configured = System.getProperty("template.file");
        if (configured != null) {
            return load(Path.of(configured));
        }
        for (Path candidate : List.of(Path.of("template.yaml"), Path.of("../template.yaml"))) {
            if (Files.isRegularFile(candidate)) {
                return load(candidate);
            }
        }
        throw new IllegalStateException("template.yaml not found (run from the repository root or set -Dtemplate.file)");
    }

    public JsonNode root() {
        return root;
    }

    /** Logical id → resource node, in template order, for every resource of the given type. */
    public Map<String, JsonNode> resourcesOfType(String type) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        root.path("Resources").fields().forEachRemaining(entry -> {
            if (type.equals(entry.getValue().path("Type").asText())) {
                found.put(entry.getKey(), entry.getValue());
            }
        });
        return found;
    }

    public JsonNode resource(String logicalId) {
        JsonNode node = root.path("Resources").path(logicalId);
        if (node.isMissingNode()) {
            throw new IllegalArgumentException("template.yaml has no resource " + logicalId);
        }
        return node;
    }

    /**
     * A CreateTable request for each {@code AWS::DynamoDB::Table}, named {@code prefix + logicalId}.
     * Billing, keys, indexes and streams come from the template; TTL is applied separately by
     * {@link #timeToLiveAttributes()} because CreateTable cannot carry it.
     */
    public Map<String, CreateTableRequest> tables(String prefix) {
        Map<String, CreateTableRequest> tables = new LinkedHashMap<>();
        resourcesOfType("AWS::DynamoDB::Table").forEach((logicalId, resource) -> {
            JsonNode props = resource.path("Properties");
            CreateTableRequest.Builder request = CreateTableRequest.builder()
                    .tableName(prefix + logicalId)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(attributes(props.path("AttributeDefinitions")))
                    .keySchema(keys(props.path("KeySchema")));
            List<GlobalSecondaryIndex> indexes = new ArrayList<>();
            for (JsonNode index : props.path("GlobalSecondaryIndexes")) {
                indexes.add(GlobalSecondaryIndex.builder()
                        .indexName(index.path("IndexName").asText())
                        .keySchema(keys(index.path("KeySchema")))
                        .projection(Projection.builder()
                                .projectionType(index.path("Projection").path("ProjectionType").asText("ALL"))
                                .nonKeyAttributes(texts(index.path("Projection").path("NonKeyAttributes")))
                                .build())
                        .build());
            }
            if (!indexes.isEmpty()) {
                request.globalSecondaryIndexes(indexes);
            }
            JsonNode stream = props.path("StreamSpecification");
            if (!stream.isMissingNode()) {
                request.streamSpecification(StreamSpecification.builder()
                        .streamEnabled(true)
                        .streamViewType(stream.path("StreamViewType").asText())
                        .build());
            }
            tables.put(logicalId, request.build());
        });
        return tables;
    }

    /** Logical table id → TTL attribute name, for tables whose TTL is enabled. */
    public Map<String, String> timeToLiveAttributes() {
        Map<String, String> ttl = new LinkedHashMap<>();
        resourcesOfType("AWS::DynamoDB::Table").forEach((logicalId, resource) -> {
            JsonNode spec = resource.path("Properties").path("TimeToLiveSpecification");
            if (spec.path("Enabled").asBoolean(false)) {
                ttl.put(logicalId, spec.path("AttributeName").asText());
            }
        });
        return ttl;
    }

    // ------------------------------------------------------------------ functions, routes, triggers

    private static final Set<String> FUNCTION_TYPES = Set.of("AWS::Serverless::Function", "AWS::Lambda::Function");
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]+)}");
    /** What the local stack substitutes for ${AWS::Region} and friends. */
    public static final String LOCAL_REGION = "us-east-1";
    public static final String LOCAL_ACCOUNT = "000000000000";

    /** Parameter name → its Default ("" when it has none). */
    public Map<String, String> parameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        root.path("Parameters").fields().forEachRemaining(entry ->
                parameters.put(entry.getKey(), entry.getValue().path("Default").asText("")));
        return parameters;
    }

    /** The stage of the APIs: an {@code AWS::ApiGatewayV2::Stage}'s StageName, else the StageName parameter, else {@code prod}. */
    public String stage() {
        for (JsonNode stage : resourcesOfType("AWS::ApiGatewayV2::Stage").values()) {
            String name = resolve(stage.path("Properties").path("StageName"));
            if (name != null && !name.isBlank()) {
                return name;
            }
        }
        String parameter = parameters().get("StageName");
        return parameter == null || parameter.isBlank() ? "prod" : parameter;
    }

    /** Every function, by logical id, in template order. */
    public Map<String, FunctionSpec> functions() {
        JsonNode globals = root.path("Globals").path("Function");
        Map<String, FunctionSpec> functions = new LinkedHashMap<>();
        root.path("Resources").fields().forEachRemaining(entry -> {
            if (!FUNCTION_TYPES.contains(entry.getValue().path("Type").asText())) {
                return;
            }
            JsonNode props = entry.getValue().path("Properties");
            Map<String, String> environment = new LinkedHashMap<>();
            addVariables(globals.path("Environment").path("Variables"), environment);
            addVariables(props.path("Environment").path("Variables"), environment);
            int timeout = props.path("Timeout").asInt(globals.path("Timeout").asInt(3));
            int memory = props.path("MemorySize").asInt(globals.path("MemorySize").asInt(128));
            String handler = props.path("Handler").asText(globals.path("Handler").asText(""));
            functions.put(entry.getKey(), new FunctionSpec(entry.getKey(), handler, environment, Duration.ofSeconds(timeout), memory));
        });
        return functions;
    }

    /** The HTTP API's routes: every {@code Type: HttpApi} event of every function. */
    public List<HttpRouteSpec> httpRoutes() {
        List<HttpRouteSpec> routes = new ArrayList<>();
        forEachEvent("HttpApi", (functionId, props) -> {
            String method = props.path("Method").asText("ANY").toUpperCase(java.util.Locale.ROOT);
            String path = props.path("Path").asText("$default");
            routes.add(new HttpRouteSpec("*".equals(method) ? "ANY" : method, path, functionId));
        });
        // Routes declared on an explicit HTTP-protocol AWS::ApiGatewayV2::Api are served on the same port.
        Set<String> httpApis = new java.util.HashSet<>();
        resourcesOfType("AWS::ApiGatewayV2::Api").forEach((id, api) -> {
            if ("HTTP".equalsIgnoreCase(api.path("Properties").path("ProtocolType").asText())) {
                httpApis.add(id);
            }
        });
        resourcesOfType("AWS::ApiGatewayV2::Route").values().forEach(route -> {
            JsonNode props = route.path("Properties");
            if (!httpApis.contains(resolveReference(props.path("ApiId")))) {
                return;
            }
            String integrationId = lastReference(props.path("Target"));
            String functionId = integrationId == null ? null
                    : functionIn(resource(integrationId).path("Properties").path("IntegrationUri"));
            String key = props.path("RouteKey").asText();
            int space = key.indexOf(' ');
            routes.add(space < 0 ? new HttpRouteSpec("ANY", key, functionId)
                    : new HttpRouteSpec(key.substring(0, space).toUpperCase(java.util.Locale.ROOT), key.substring(space + 1), functionId));
        });
        return routes;
    }

    /** The function's {@code Type: DynamoDB} events, as event source mappings. */
    public List<StreamMappingSpec> streamMappings() {
        List<StreamMappingSpec> mappings = new ArrayList<>();
        forEachEvent("DynamoDB", (functionId, props) -> {
            String stream = resolveReference(props.path("Stream"));
            String tableId = stream == null ? null : stream.split("\\.")[0];
            List<JsonNode> filters = new ArrayList<>();
            for (JsonNode filter : props.path("FilterCriteria").path("Filters")) {
                JsonNode pattern = filter.path("Pattern");
                filters.add(pattern.isTextual() ? Json.parse(pattern.asText()) : pattern);
            }
            boolean reportFailures = false;
            for (JsonNode type : props.path("FunctionResponseTypes")) {
                reportFailures |= "ReportBatchItemFailures".equals(type.asText());
            }
            int maxAge = props.path("MaximumRecordAgeInSeconds").asInt(-1);
            JsonNode onFailure = props.path("DestinationConfig").path("OnFailure").path("Destination");
            mappings.add(new StreamMappingSpec(
                    functionId,
                    tableId,
                    props.path("StartingPosition").asText("LATEST"),
                    props.path("BatchSize").asInt(100),
                    Duration.ofSeconds(props.path("MaximumBatchingWindowInSeconds").asInt(0)),
                    props.path("ParallelizationFactor").asInt(1),
                    filters,
                    reportFailures,
                    props.path("BisectBatchOnFunctionError").asBoolean(false),
                    props.path("MaximumRetryAttempts").asInt(-1),
                    maxAge < 0 ? null : Duration.ofSeconds(maxAge),
                    onFailure.isMissingNode() ? null : resolveReference(onFailure),
                    props.path("Enabled").asBoolean(true)));
        });
        return mappings;
    }

    /** Every {@code AWS::SQS::Queue}, by logical id, in template order. */
    public Map<String, QueueSpec> queues() {
        Map<String, QueueSpec> queues = new LinkedHashMap<>();
        resourcesOfType("AWS::SQS::Queue").forEach((logicalId, resource) -> {
            JsonNode props = resource.path("Properties");
            String name = resolve(props.path("QueueName"));
            JsonNode redrive = props.path("RedrivePolicy");
            if (redrive.isTextual()) {
                redrive = Json.parse(redrive.asText());
            }
            String deadLetterTarget = resolveReference(redrive.path("deadLetterTargetArn"));
            boolean fifo = props.path("FifoQueue").asBoolean(false);
            String queueName = name == null || name.isBlank() ? logicalId : name;
            // CloudFormation's generated name for a FIFO queue ends with .fifo, as AWS requires of every FIFO queue.
            if (fifo && !queueName.endsWith(QueueSpec.FIFO_SUFFIX)) {
                queueName += QueueSpec.FIFO_SUFFIX;
            }
            queues.put(logicalId, new QueueSpec(
                    logicalId,
                    queueName,
                    seconds(props.path("VisibilityTimeout"), QueueSpec.DEFAULT_VISIBILITY_TIMEOUT),
                    seconds(props.path("MessageRetentionPeriod"), QueueSpec.DEFAULT_RETENTION),
                    deadLetterTarget == null ? null : deadLetterTarget.split("\\.")[0],
                    redrive.path("maxReceiveCount").asInt(0),
                    fifo,
                    props.path("ContentBasedDeduplication").asBoolean(false),
                    seconds(props.path("DelaySeconds"), Duration.ZERO),
                    props.path("MaximumMessageSize").asInt(QueueSpec.DEFAULT_MAXIMUM_MESSAGE_SIZE)));
        });
        return queues;
    }

    /**
     * Environment variable → queue logical id, for every variable of a function (or of Globals) that is a
     * {@code !Ref} to an {@code AWS::SQS::Queue}: in AWS its value is the queue's URL, which only the
     * running local stack knows (its port).
     */
    public Map<String, String> queueUrlVariables() {
        Map<String, String> variables = new LinkedHashMap<>();
        JsonNode globals = root.path("Globals").path("Function").path("Environment").path("Variables");
        List<JsonNode> sources = new ArrayList<>(List.of(globals));
        root.path("Resources").fields().forEachRemaining(entry -> {
            if (FUNCTION_TYPES.contains(entry.getValue().path("Type").asText())) {
                sources.add(entry.getValue().path("Properties").path("Environment").path("Variables"));
            }
        });
        for (JsonNode source : sources) {
            source.fields().forEachRemaining(variable -> {
                JsonNode value = variable.getValue();
                String target = value.isObject() && value.has("Ref") ? value.get("Ref").asText() : value.isTextual() ? value.asText() : null;
                if (target != null && "AWS::SQS::Queue".equals(root.path("Resources").path(target).path("Type").asText())) {
                    variables.put(variable.getKey(), target);
                }
            });
        }
        return variables;
    }

    /** The functions' {@code Type: SQS} events, as queue event source mappings. */
    public List<QueueTriggerSpec> queueTriggers() {
        List<QueueTriggerSpec> triggers = new ArrayList<>();
        forEachEvent("SQS", (functionId, props) -> {
            String queue = resolveReference(props.path("Queue"));
            boolean reportFailures = false;
            for (JsonNode type : props.path("FunctionResponseTypes")) {
                reportFailures |= "ReportBatchItemFailures".equals(type.asText());
            }
            triggers.add(new QueueTriggerSpec(
                    functionId,
                    queue == null ? null : queue.split("\\.")[0],
                    props.path("BatchSize").asInt(10),
                    Duration.ofSeconds(props.path("MaximumBatchingWindowInSeconds").asInt(0)),
                    reportFailures,
                    props.path("Enabled").asBoolean(true)));
        });
        return triggers;
    }

    private static Duration seconds(JsonNode value, Duration fallback) {
        return value.isMissingNode() || value.isNull() ? fallback : Duration.ofSeconds(value.asLong());
    }

    /** The template's WebSocket API (the first {@code AWS::ApiGatewayV2::Api} with ProtocolType WEBSOCKET), if any. */
    public Optional<WebSocketApiSpec> webSocketApi() {
        Map.Entry<String, JsonNode> api = resourcesOfType("AWS::ApiGatewayV2::Api").entrySet().stream()
                .filter(entry -> "WEBSOCKET".equalsIgnoreCase(entry.getValue().path("Properties").path("ProtocolType").asText()))
                .findFirst().orElse(null);
        if (api == null) {
            return Optional.empty();
        }
        String apiId = api.getKey();
        Map<String, String> integrationFunctions = new LinkedHashMap<>();
        resourcesOfType("AWS::ApiGatewayV2::Integration").forEach((id, integration) ->
                integrationFunctions.put(id, functionIn(integration.path("Properties").path("IntegrationUri"))));
        Map<String, Authorizer> authorizers = new LinkedHashMap<>();
        resourcesOfType("AWS::ApiGatewayV2::Authorizer").forEach((id, authorizer) -> {
            JsonNode props = authorizer.path("Properties");
            List<String> sources = new ArrayList<>();
            props.path("IdentitySource").forEach(source -> sources.add(source.asText()));
            authorizers.put(id, new Authorizer(id, functionIn(props.path("AuthorizerUri")), sources));
        });
        Set<String> routesWithResponses = new java.util.HashSet<>();
        resourcesOfType("AWS::ApiGatewayV2::RouteResponse").values().forEach(response ->
                routesWithResponses.add(resolveReference(response.path("Properties").path("RouteId"))));
        Map<String, Route> routes = new LinkedHashMap<>();
        resourcesOfType("AWS::ApiGatewayV2::Route").forEach((id, route) -> {
            JsonNode props = route.path("Properties");
            if (!apiId.equals(resolveReference(props.path("ApiId")))) {
                return;
            }
            String integrationId = lastReference(props.path("Target"));
            String functionId = integrationFunctions.get(integrationId);
            Authorizer authorizer = authorizers.get(resolveReference(props.path("AuthorizerId")));
            boolean twoWay = routesWithResponses.contains(id) || props.has("RouteResponseSelectionExpression");
            String key = props.path("RouteKey").asText();
            routes.put(key, new Route(key, functionId, authorizer, twoWay));
        });
        String selection = api.getValue().path("Properties").path("RouteSelectionExpression").asText("$request.body.action");
        return Optional.of(new WebSocketApiSpec(apiId, selection, routes));
    }

    private interface EventConsumer {
        void accept(String functionId, JsonNode properties);
    }

    private void forEachEvent(String type, EventConsumer consumer) {
        root.path("Resources").fields().forEachRemaining(entry -> {
            if (!"AWS::Serverless::Function".equals(entry.getValue().path("Type").asText())) {
                return;
            }
            entry.getValue().path("Properties").path("Events").fields().forEachRemaining(event -> {
                if (type.equals(event.getValue().path("Type").asText())) {
                    consumer.accept(entry.getKey(), event.getValue().path("Properties"));
                }
            });
        });
    }

    private void addVariables(JsonNode variables, Map<String, String> into) {
        variables.fields().forEachRemaining(variable -> {
            String value = resolve(variable.getValue());
            if (value != null) {
                into.put(variable.getKey(), value);
            } else {
                into.remove(variable.getKey());
            }
        });
    }

    /**
     * A value as the local stack sees it: parameters become their defaults, tables their local names
     * (their logical ids), pseudo parameters local stand-ins; null when it names something that only
     * exists in AWS (an API id, an ARN of another resource).
     */
    public String resolve(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (value.isObject()) {
            if (value.has("Ref")) {
                return resolve(value.get("Ref"));
            }
            if (value.has("Fn::Sub")) {
                return resolve(value.get("Fn::Sub"));
            }
            return null;
        }
        if (value.getNodeType() != JsonNodeType.STRING) {
            return value.isValueNode() ? value.asText() : null;
        }
        String text = value.asText();
        Map<String, String> parameters = parameters();
        if (parameters.containsKey(text)) {
            return parameters.get(text);
        }
        JsonNode resource = root.path("Resources").path(text);
        if (!resource.isMissingNode()) {
            return "AWS::DynamoDB::Table".equals(resource.path("Type").asText()) ? text : null;
        }
        if (!text.contains("${")) {
            return text;
        }
        Matcher matcher = SUB_VARIABLE.matcher(text);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String replacement = switch (name) {
                case "AWS::Region" -> LOCAL_REGION;
                case "AWS::AccountId" -> LOCAL_ACCOUNT;
                case "AWS::Partition" -> "aws";
                case "AWS::URLSuffix" -> "amazonaws.com";
                default -> parameters.containsKey(name) ? parameters.get(name)
                        : "AWS::DynamoDB::Table".equals(root.path("Resources").path(name).path("Type").asText()) ? name : null;
            };
            if (replacement == null) {
                return null;
            }
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    /** The logical id a Ref / GetAtt (short or long form) points at, with any attribute after a dot. */
    private static String resolveReference(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (value.isObject()) {
            for (String key : List.of("Ref", "Fn::GetAtt")) {
                if (value.has(key)) {
                    return resolveReference(value.get(key));
                }
            }
            return null;
        }
        if (value.isArray()) {
            List<String> parts = new ArrayList<>();
            value.forEach(part -> parts.add(part.asText()));
            return String.join(".", parts);
        }
        return value.asText();
    }

    /** The last resource named in a Target: {@code integrations/${X}}, {@code !Join ['/', [integrations, !Ref X]]}. */
    private String lastReference(JsonNode value) {
        List<String> names = new ArrayList<>();
        collectTexts(value, names);
        for (int i = names.size() - 1; i >= 0; i--) {
            Matcher matcher = SUB_VARIABLE.matcher(names.get(i));
            String last = null;
            while (matcher.find()) {
                last = matcher.group(1);
            }
            String candidate = last != null ? last : names.get(i).replaceFirst("^integrations/", "");
            if (!root.path("Resources").path(candidate).isMissingNode()) {
                return candidate;
            }
        }
        return null;
    }

    /** The function an IntegrationUri / AuthorizerUri invokes: the first function logical id it mentions. */
    private String functionIn(JsonNode uri) {
        List<String> texts = new ArrayList<>();
        collectTexts(uri, texts);
        for (String text : texts) {
            Matcher matcher = Pattern.compile("([A-Za-z0-9]+)(\\.Arn)?").matcher(text);
            while (matcher.find()) {
                String candidate = matcher.group(1);
                if (FUNCTION_TYPES.contains(root.path("Resources").path(candidate).path("Type").asText())) {
                    return candidate;
                }
                // SAM names a function's AutoPublishAlias {FunctionId}Alias{AliasName}
                for (String function : functionIds()) {
                    if (candidate.startsWith(function + "Alias")) {
                        return function;
                    }
                }
            }
        }
        return null;
    }

    private List<String> functionIds() {
        List<String> ids = new ArrayList<>();
        root.path("Resources").fields().forEachRemaining(entry -> {
            if (FUNCTION_TYPES.contains(entry.getValue().path("Type").asText())) {
                ids.add(entry.getKey());
            }
        });
        return ids;
    }

    private static void collectTexts(JsonNode node, List<String> into) {
        if (node == null) {
            return;
        }
        if (node.isValueNode()) {
            into.add(node.asText());
        } else {
            node.forEach(child -> collectTexts(child, into));
        }
    }

    private static List<AttributeDefinition> attributes(JsonNode definitions) {
        List<AttributeDefinition> result = new ArrayList<>();
        for (JsonNode definition : definitions) {
            result.add(AttributeDefinition.builder()
                    .attributeName(definition.path("AttributeName").asText())
                    .attributeType(definition.path("AttributeType").asText())
                    .build());
        }
        return result;
    }

    private static List<KeySchemaElement> keys(JsonNode schema) {
        List<KeySchemaElement> result = new ArrayList<>();
        for (JsonNode key : schema) {
            result.add(KeySchemaElement.builder()
                    .attributeName(key.path("AttributeName").asText())
                    .keyType(key.path("KeyType").asText())
                    .build());
        }
        return result;
    }

    private static List<String> texts(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(node -> result.add(node.asText()));
        return result;
    }
}
