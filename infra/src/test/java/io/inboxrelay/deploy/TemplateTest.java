package io.inboxrelay.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.config.Config;
import io.inboxrelay.local.LocalDynamo;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.secrets.SecretsCiphers;
import io.inboxrelay.store.SessionItems;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Holds template.yaml, the code and the local stack together: a handler renamed, an environment
 * variable the code starts to require, or a table changed in one place fails here, not in AWS.
 */
class TemplateTest {

    private static final String FUNCTION = "AWS::Serverless::Function";
    private static final Pattern FUNCTION_REFERENCE = Pattern.compile("([A-Za-z0-9]+Function)(?:Alias[A-Za-z0-9]+|\\.Alias|\\.Arn)?");

    private final SamTemplate template = SamTemplate.fromRepository();

    @TestFactory
    Stream<DynamicTest> every_function_handler_is_a_real_class_implementing_the_lambda_interface_of_its_trigger() {
        Map<String, Trigger> triggers = triggers();
        assertThat(triggers.keySet()).as("functions of template.yaml").isNotEmpty();
        return triggers.entrySet().stream().map(entry -> dynamicTest(entry.getKey(), () -> {
            String handler = template.resource(entry.getKey()).path("Properties").path("Handler").asText();
            assertThat(handler).as("Handler of %s", entry.getKey()).matches("io\\.inboxrelay\\.handler\\.[A-Za-z0-9]+::handleRequest");
            String className = handler.substring(0, handler.indexOf("::"));
            Class<?> type;
            try {
                type = Class.forName(className, false, getClass().getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(entry.getKey() + " names " + className + ", which does not exist", e);
            }
            Type[] io = requestHandlerTypes(type);
            assertThat(io).as("%s implements RequestHandler<I, O>", className).isNotNull();
            entry.getValue().check(className, io[0], io[1]);
        }));
    }

    @Test
    void every_function_is_reached_by_exactly_one_kind_of_trigger() {
        Set<String> functions = template.resourcesOfType(FUNCTION).keySet();
        assertThat(triggers().keySet()).containsExactlyInAnyOrderElementsOf(functions);
    }

    @Test
    void every_environment_variable_the_code_requires_is_set_for_every_function() {
        List<String> required = requiredVariables();
        assertThat(required).as("variables Config.fromEnv() cannot do without").isNotEmpty();
        template.resourcesOfType(FUNCTION).keySet().forEach(function ->
                assertThat(environment(function).keySet()).as("environment of %s", function).containsAll(required));
    }

    @Test
    void the_template_sets_no_variable_the_code_does_not_read() {
        template.resourcesOfType(FUNCTION).keySet().forEach(function ->
                assertThat(Config.VARIABLES).as("variables set for %s", function).containsAll(environment(function).keySet()));
    }

    @Test
    void functions_that_post_to_connections_know_the_management_endpoint_of_their_own_api() {
        List<String> posting = new ArrayList<>();
        template.resourcesOfType(FUNCTION).keySet().forEach(function -> {
            if (statements(function).stream().anyMatch(s -> s.path("Action").toString().contains("execute-api:ManageConnections"))) {
                posting.add(function);
                assertThat(environment(function)).as("environment of %s", function).containsKeys("WS_DOMAIN_NAME", "WS_STAGE");
                assertThat(environment(function).get("WS_DOMAIN_NAME").asText()).startsWith("${WebSocketApi}.execute-api.");
            }
        });
        assertThat(posting).contains("FanoutFunction", "WsResumeFunction");
    }

    // ------------------------------------------------------------------ tokens and sockets (issue 13)

    private static final List<String> TOKEN_FUNCTIONS = List.of("WsAuthorizerFunction", "ReadApiFunction", "SendFunction");

    @Test
    void functions_that_verify_browser_tokens_get_the_jwt_settings_and_the_secret_only_as_an_arn() throws Exception {
        JsonNode tagged = CfnYaml.repositoryTemplate();
        for (String function : TOKEN_FUNCTIONS) {
            Map<String, JsonNode> env = environment(function);
            assertThat(env).as("environment of %s", function)
                    .containsKeys("JWT_SECRET_ARN", "JWKS_URL", "JWT_ISSUER", "JWT_AUDIENCE", "TENANT_CLAIM", "MAX_TOKEN_LIFETIME_SECONDS");
            JsonNode arn = tagged.path("Resources").path(function).path("Properties").path("Environment").path("Variables").path("JWT_SECRET_ARN");
            assertThat(arn.toString()).as("JWT_SECRET_ARN of %s", function)
                    .isEqualTo("{\"Fn::If\":[\"HasJwtSecret\",{\"Ref\":\"JwtSecretArn\"},{\"Ref\":\"AWS::NoValue\"}]}");
        }
        // The secret itself is in no function's environment, resolved or not (anyone with
        // lambda:GetFunctionConfiguration would read it, in every published version).
        template.resourcesOfType(FUNCTION).keySet().forEach(function ->
                assertThat(environment(function)).as("environment of %s", function).doesNotContainKey("JWT_SECRET"));
        assertThat(template.root().toString()).doesNotContain("{{resolve:secretsmanager");
    }

    @Test
    void only_the_token_functions_may_read_the_jwt_secret_and_only_that_one_secret() throws Exception {
        JsonNode tagged = CfnYaml.repositoryTemplate();
        Map<String, List<JsonNode>> readers = new TreeMap<>();
        tagged.path("Resources").fields().forEachRemaining(resource -> {
            List<JsonNode> grants = new ArrayList<>();
            resource.getValue().findParents("Action").forEach(statement -> {
                if (statement.path("Action").toString().contains("secretsmanager:")) {
                    grants.add(statement);
                }
            });
            if (!grants.isEmpty()) {
                readers.put(resource.getKey(), grants);
            }
        });
        assertThat(readers.keySet()).containsExactlyInAnyOrderElementsOf(TOKEN_FUNCTIONS);
        readers.forEach((function, grants) -> {
            assertThat(grants).as("secret grants of %s", function).singleElement().satisfies(statement -> {
                assertThat(texts(statement.path("Action"))).containsExactly("secretsmanager:GetSecretValue");
                assertThat(statement.path("Resource").toString()).isEqualTo("{\"Ref\":\"JwtSecretArn\"}");
            });
            // Only with HS256 configured: the whole policy is an !If on HasJwtSecret.
            JsonNode conditional = null;
            for (JsonNode policy : tagged.path("Resources").path(function).path("Properties").path("Policies")) {
                if (policy.toString().contains("secretsmanager:")) {
                    conditional = policy;
                }
            }
            assertThat(conditional).isNotNull();
            assertThat(conditional.path("Fn::If").get(0).asText()).isEqualTo("HasJwtSecret");
            assertThat(conditional.path("Fn::If").get(2).toString()).isEqualTo("{\"Ref\":\"AWS::NoValue\"}");
        });
        // A partial ARN would need a wildcard grant; the parameter takes the full one only.
        assertThat(template.root().path("Parameters").path("JwtSecretArn").path("AllowedPattern").asText()).endsWith("-[A-Za-z0-9]{6})?$");
    }

    @Test
    void a_jwks_issuer_cannot_be_deployed_without_issuer_and_audience() throws Exception {
        JsonNode tagged = CfnYaml.repositoryTemplate();
        String jwks = "https://idp.example.com/.well-known/jwks.json";
        String secret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:inbox-relay/jwt-AbC123";

        assertThat(rulesPass(tagged, Map.of("JwksUrl", jwks, "JwtIssuer", "https://idp.example.com/"))).as("JWKS without audience").isFalse();
        assertThat(rulesPass(tagged, Map.of("JwksUrl", jwks, "JwtAudience", "inbox-relay"))).as("JWKS without issuer").isFalse();
        assertThat(rulesPass(tagged, Map.of("JwksUrl", jwks, "JwtSecretArn", secret))).as("JWKS and HS256, neither claim").isFalse();
        assertThat(rulesPass(tagged, Map.of())).as("no token key at all").isFalse();
        assertThat(rulesPass(tagged, Map.of("JwksUrl", jwks, "JwtIssuer", "https://idp.example.com/", "JwtAudience", "inbox-relay")))
                .as("JWKS with issuer and audience").isTrue();
        assertThat(rulesPass(tagged, Map.of("JwtSecretArn", secret))).as("HS256 alone").isTrue();
        // With a JWKS the read routes always get API Gateway's own JWT authorizer too.
        assertThat(template.root().path("Conditions").path("UseNativeJwtAuthorizer").toString())
                .contains("HasJwksUrl").contains("HasJwtIssuer").contains("HasJwtAudience");
    }

    @Test
    void the_maximum_token_lifetime_is_a_bounded_parameter_both_token_functions_get() {
        JsonNode parameter = template.root().path("Parameters").path("MaxTokenLifetimeSeconds");
        assertThat(parameter.path("Default").asInt()).isEqualTo(86_400);
        assertThat(parameter.path("MinValue").asInt()).isEqualTo(60);
        assertThat(parameter.path("MaxValue").asInt()).isPositive();
        TOKEN_FUNCTIONS.forEach(function -> assertThat(environment(function).get("MAX_TOKEN_LIFETIME_SECONDS").asText())
                .as("MAX_TOKEN_LIFETIME_SECONDS of %s", function).isEqualTo("MaxTokenLifetimeSeconds"));
    }

    @Test
    void every_route_that_closes_a_socket_whose_token_expired_may_post_to_and_delete_connections_of_its_own_api() {
        for (String function : List.of("WsPingFunction", "WsStatusFunction", "WsResumeFunction", "FanoutFunction")) {
            List<String> resources = new ArrayList<>();
            statements(function).stream().filter(s -> s.path("Action").toString().contains("execute-api:ManageConnections"))
                    .forEach(s -> resources.addAll(texts(s.path("Resource"))));
            assertThat(resources).as("@connections grants of %s", function).anySatisfy(r -> assertThat(r).contains("${WebSocketApi}/${StageName}/POST/@connections/"))
                    .anySatisfy(r -> assertThat(r).contains("${WebSocketApi}/${StageName}/DELETE/@connections/"));
            assertThat(environment(function)).as("environment of %s", function).containsKeys("WS_DOMAIN_NAME", "WS_STAGE");
        }
    }

    /** Whether CloudFormation's Rules accept these parameter values (the others at their defaults). */
    private static boolean rulesPass(JsonNode tagged, Map<String, String> values) {
        Map<String, String> parameters = new HashMap<>();
        tagged.path("Parameters").fields().forEachRemaining(p -> parameters.put(p.getKey(), p.getValue().path("Default").asText("")));
        parameters.putAll(values);
        JsonNode rules = tagged.path("Rules");
        assertThat(rules.size()).as("Rules of template.yaml").isPositive();
        for (JsonNode rule : rules) {
            if (rule.has("RuleCondition") && !Boolean.TRUE.equals(evaluate(rule.path("RuleCondition"), parameters))) {
                continue;
            }
            for (JsonNode assertion : rule.path("Assertions")) {
                if (!Boolean.TRUE.equals(evaluate(assertion.path("Assert"), parameters))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Object evaluate(JsonNode node, Map<String, String> parameters) {
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.has("Ref")) {
            return parameters.get(node.path("Ref").asText());
        }
        if (node.has("Fn::Equals")) {
            return java.util.Objects.equals(evaluate(node.path("Fn::Equals").get(0), parameters), evaluate(node.path("Fn::Equals").get(1), parameters));
        }
        if (node.has("Fn::Not")) {
            return !Boolean.TRUE.equals(evaluate(node.path("Fn::Not").get(0), parameters));
        }
        if (node.has("Fn::Or") || node.has("Fn::And")) {
            boolean or = node.has("Fn::Or");
            boolean result = !or;
            for (JsonNode operand : node.path(or ? "Fn::Or" : "Fn::And")) {
                boolean value = Boolean.TRUE.equals(evaluate(operand, parameters));
                result = or ? result || value : result && value;
            }
            return result;
        }
        throw new AssertionError("this test cannot evaluate " + node);
    }

    @Test
    void no_permission_is_granted_on_everything() {
        List<JsonNode> all = new ArrayList<>();
        template.resourcesOfType(FUNCTION).keySet().forEach(function -> all.addAll(statements(function)));
        template.resourcesOfType("AWS::IAM::Role").values().forEach(role ->
                role.path("Properties").path("Policies").forEach(policy -> policy.path("PolicyDocument").path("Statement").forEach(all::add)));
        assertThat(all).isNotEmpty();
        for (JsonNode statement : all) {
            assertThat(texts(statement.path("Action"))).as("actions of %s", statement).noneMatch(a -> a.equals("*") || a.endsWith(":*"));
            assertThat(texts(statement.path("Resource"))).as("resources of %s", statement).isNotEmpty().noneMatch(r -> r.equals("*"));
        }
    }

    @Test
    void the_stream_trigger_reports_partial_failures_and_gives_up_into_a_queue() {
        JsonNode stream = template.resource("FanoutFunction").path("Properties").path("Events").path("Stream").path("Properties");
        assertThat(stream.path("Stream").asText()).isEqualTo("EventsTable.StreamArn");
        assertThat(texts(stream.path("FunctionResponseTypes"))).containsExactly("ReportBatchItemFailures");
        assertThat(stream.path("BisectBatchOnFunctionError").asBoolean()).isTrue();
        assertThat(stream.path("MaximumRetryAttempts").asInt(-1)).isBetween(0, 10);
        assertThat(stream.path("MaximumRecordAgeInSeconds").asInt(-1)).isBetween(60, 21_600);
        assertThat(stream.path("DestinationConfig").path("OnFailure").path("Type").asText()).isEqualTo("SQS");
        assertThat(stream.path("FilterCriteria").path("Filters").get(0).path("Pattern").asText()).contains("\"eventName\"").contains("INSERT");
    }

    @Test
    void access_logs_never_record_query_strings_or_headers_where_tokens_travel() {
        List<String> formats = new ArrayList<>();
        template.resourcesOfType("AWS::ApiGatewayV2::Stage").values().forEach(stage ->
                formats.add(stage.path("Properties").path("AccessLogSettings").path("Format").asText()));
        template.resourcesOfType("AWS::Serverless::HttpApi").values().forEach(api ->
                formats.add(api.path("Properties").path("AccessLogSettings").path("Format").asText()));
        assertThat(formats).hasSize(3).allSatisfy(format -> assertThat(format)
                .contains("$context.requestId")
                .doesNotContainIgnoringCase("querystring")
                .doesNotContainIgnoringCase("header")
                .doesNotContain("$context.authorizer.token"));
    }

    @Test
    void the_websocket_connect_route_is_authorized_and_the_authorizer_names_no_identity_source_a_browser_may_omit() {
        JsonNode connect = template.resource("WsConnectRoute").path("Properties");
        assertThat(connect.path("RouteKey").asText()).isEqualTo("$connect");
        assertThat(connect.path("AuthorizationType").asText()).isEqualTo("CUSTOM");
        assertThat(connect.path("AuthorizerId").asText()).isEqualTo("WsAuthorizer");
        // The token is in ?token= or in Sec-WebSocket-Protocol; naming either would refuse the other.
        assertThat(template.resource("WsAuthorizer").path("Properties").has("IdentitySource")).isFalse();
        assertThat(template.resource("WebSocketApi").path("Properties").path("RouteSelectionExpression").asText())
                .isEqualTo("$request.body.type");
    }

    @Test
    void alarms_on_our_own_metrics_watch_a_function_name_the_code_publishes_under() throws java.io.IOException {
        java.nio.file.Path sources = java.nio.file.Path.of(System.getProperty("template.file", "template.yaml"))
                .toAbsolutePath().getParent().resolve("functions/src/main/java");
        Set<String> published = new LinkedHashSet<>();
        Pattern metrics = Pattern.compile("new Metrics\\(\"([^\"]+)\"\\)");
        try (Stream<java.nio.file.Path> files = java.nio.file.Files.walk(sources)) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher matcher = metrics.matcher(java.nio.file.Files.readString(file));
                while (matcher.find()) {
                    published.add(matcher.group(1));
                }
            }
        }
        List<String> watched = new ArrayList<>();
        template.resourcesOfType("AWS::CloudWatch::Alarm").values().forEach(alarm -> {
            JsonNode props = alarm.path("Properties");
            if ("InboxRelay".equals(props.path("Namespace").asText())) {
                props.path("Dimensions").forEach(d -> {
                    assertThat(d.path("Name").asText()).isEqualTo("Function");
                    watched.add(d.path("Value").asText());
                });
            }
        });
        assertThat(watched).isNotEmpty();
        assertThat(published).as("names passed to new Metrics(...)").containsAll(watched);
    }

    @Test
    void the_local_stack_creates_exactly_the_tables_of_this_template() {
        Map<String, JsonNode> declared = template.resourcesOfType("AWS::DynamoDB::Table");
        try (LocalDynamo dynamo = LocalDynamo.startInMemory().createTables(SamTemplate.fromRepository())) {
            assertThat(dynamo.client().listTables().tableNames()).containsExactlyInAnyOrderElementsOf(declared.keySet());
            assertThat(LocalDynamo.TABLE_ENV.keySet()).containsExactlyInAnyOrderElementsOf(declared.keySet());
            declared.forEach((logicalId, resource) -> {
                JsonNode props = resource.path("Properties");
                TableDescription table = dynamo.client().describeTable(r -> r.tableName(logicalId)).table();
                assertThat(keys(table.keySchema())).as("keys of %s", logicalId).isEqualTo(keys(props.path("KeySchema")));
                Map<String, List<String>> indexes = new TreeMap<>();
                props.path("GlobalSecondaryIndexes").forEach(i -> indexes.put(i.path("IndexName").asText(), keys(i.path("KeySchema"))));
                Map<String, List<String>> created = new TreeMap<>();
                if (table.hasGlobalSecondaryIndexes()) {
                    table.globalSecondaryIndexes().forEach(i -> created.put(i.indexName(), keys(i.keySchema())));
                }
                assertThat(created).as("indexes of %s", logicalId).isEqualTo(indexes);
                String view = props.path("StreamSpecification").path("StreamViewType").asText(null);
                assertThat(table.streamSpecification() == null ? null : table.streamSpecification().streamViewTypeAsString())
                        .as("stream of %s", logicalId).isEqualTo(view);
                String ttl = props.path("TimeToLiveSpecification").path("AttributeName").asText(null);
                assertThat(dynamo.client().describeTimeToLive(r -> r.tableName(logicalId)).timeToLiveDescription().attributeName())
                        .as("TTL of %s", logicalId).isEqualTo(ttl);
            });
        }
    }

    // ------------------------------------------------------------------ security hardening (issue 13)

    /** Statements of a function that grant any of the actions on the resource (as the template names it). */
    private List<JsonNode> grants(String function, String resource, String... actions) {
        return statements(function).stream()
                .filter(s -> texts(s.path("Resource")).stream().anyMatch(r -> r.equals(resource)))
                .filter(s -> texts(s.path("Action")).stream().anyMatch(a -> List.of(actions).contains(a)))
                .toList();
    }

    private static List<String> condition(JsonNode statement, String operator, String key) {
        return texts(statement.path("Condition").path(operator).path(key));
    }

    @Test
    void session_secrets_are_sealed_with_a_rotated_retained_kms_key_the_webhook_may_only_decrypt_and_the_admin_only_seal_with() {
        JsonNode key = template.resource("SessionSecretsKey");
        assertThat(key.path("Type").asText()).isEqualTo("AWS::KMS::Key");
        assertThat(key.path("Properties").path("EnableKeyRotation").asBoolean()).as("key rotation").isTrue();
        assertThat(key.path("DeletionPolicy").asText()).isEqualTo("Retain");
        assertThat(key.path("UpdateReplacePolicy").asText()).isEqualTo("Retain");
        assertThat(key.path("Properties").path("KeyPolicy").path("Statement")).isNotEmpty();
        for (String function : List.of("WebhookFunction", "AdminFunction", "GatewayConnectFunction")) {
            assertThat(environment(function)).as("environment of %s", function).containsKey(SecretsCiphers.KEY_ARN_VARIABLE);
            assertThat(environment(function).get(SecretsCiphers.KEY_ARN_VARIABLE).asText()).isEqualTo("SessionSecretsKey.Arn");
        }
        Map<String, List<String>> kmsActions = new TreeMap<>();
        template.resourcesOfType(FUNCTION).keySet().forEach(function -> statements(function).forEach(statement ->
                texts(statement.path("Action")).stream().filter(a -> a.startsWith("kms:")).forEach(action -> {
                    kmsActions.computeIfAbsent(function, f -> new ArrayList<>()).add(action);
                    assertThat(texts(statement.path("Resource"))).as("%s of %s", action, function).containsExactly("SessionSecretsKey.Arn");
                    assertThat(condition(statement, "ForAllValues:StringEquals", "kms:EncryptionContextKeys"))
                            .as("encryption context of %s's %s", function, action).containsExactlyInAnyOrder("tenantId", "sessionId");
                    assertThat(statement.path("Condition").path("Null").path("kms:EncryptionContext:tenantId").asText()).isEqualTo("false");
                    assertThat(statement.path("Condition").path("Null").path("kms:EncryptionContext:sessionId").asText()).isEqualTo("false");
                })));
        assertThat(kmsActions).containsExactly(
                Map.entry("AdminFunction", List.of("kms:GenerateDataKey")),
                Map.entry("GatewayConnectFunction", List.of("kms:Decrypt")),
                Map.entry("SenderFunction", List.of("kms:Decrypt")),
                Map.entry("WebhookFunction", List.of("kms:Decrypt")));
        assertThat(template.root().path("Outputs").path("SessionSecretsKeyArn").path("Value").asText()).isEqualTo("SessionSecretsKey.Arn");
    }

    // ------------------------------------------------------------------ the outbox (issue 14, contract B)

    @Test
    void the_outbox_is_a_fifo_queue_without_content_deduplication_that_gives_up_into_an_alarmed_fifo_dead_letter_queue() {
        JsonNode outbox = template.resource("OutboxQueue").path("Properties");
        assertThat(outbox.path("FifoQueue").asBoolean()).isTrue();
        assertThat(outbox.path("ContentBasedDeduplication").asBoolean(true)).isFalse();
        assertThat(outbox.path("VisibilityTimeout").asInt()).isEqualTo(180)
                .isGreaterThanOrEqualTo(6 * template.resource("SenderFunction").path("Properties").path("Timeout").asInt());
        assertThat(outbox.path("MessageRetentionPeriod").asInt()).isEqualTo(4 * 86_400);
        assertThat(outbox.path("RedrivePolicy").path("deadLetterTargetArn").asText()).isEqualTo("OutboxDeadLetterQueue.Arn");
        assertThat(outbox.path("RedrivePolicy").path("maxReceiveCount").asInt()).isEqualTo(10);
        assertThat(template.resource("OutboxDeadLetterQueue").path("Properties").path("FifoQueue").asBoolean()).isTrue();
        JsonNode alarm = template.resource("OutboxDeadLetterAlarm").path("Properties");
        assertThat(alarm.path("Namespace").asText()).isEqualTo("AWS/SQS");
        assertThat(alarm.path("MetricName").asText()).isEqualTo("ApproximateNumberOfMessagesVisible");
        assertThat(alarm.path("Dimensions").get(0).path("Value").asText()).isEqualTo("OutboxDeadLetterQueue.QueueName");
        assertThat(alarm.path("AlarmActions").toString()).contains("AlarmTopic");
    }

    @Test
    void the_sender_takes_batches_of_ten_reports_partial_failures_and_runs_at_least_two_at_once() {
        JsonNode props = template.resource("SenderFunction").path("Properties");
        assertThat(props.path("Timeout").asInt()).isEqualTo(30);
        JsonNode trigger = props.path("Events").path("Outbox").path("Properties");
        assertThat(trigger.path("Queue").asText()).isEqualTo("OutboxQueue.Arn");
        assertThat(trigger.path("BatchSize").asInt()).isEqualTo(10);
        assertThat(texts(trigger.path("FunctionResponseTypes"))).containsExactly("ReportBatchItemFailures");
        assertThat(trigger.path("ScalingConfig").path("MaximumConcurrency").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(environment("SenderFunction")).containsKeys("OUTBOX_QUEUE_URL", "SEND_RATE_PER_SECOND", "SEND_BURST");
    }

    @Test
    void only_the_send_and_read_functions_may_enqueue_and_only_the_sender_may_delay_outbox_jobs() {
        Map<String, List<String>> sqsActions = new TreeMap<>();
        template.resourcesOfType(FUNCTION).keySet().forEach(function -> statements(function).forEach(statement ->
                texts(statement.path("Action")).stream().filter(a -> a.startsWith("sqs:"))
                        .filter(a -> texts(statement.path("Resource")).contains("OutboxQueue.Arn"))
                        .forEach(action -> sqsActions.computeIfAbsent(function, f -> new ArrayList<>()).add(action))));
        assertThat(sqsActions).containsExactly(
                Map.entry("ReadApiFunction", List.of("sqs:SendMessage")),
                Map.entry("SendFunction", List.of("sqs:SendMessage")),
                Map.entry("SenderFunction", List.of("sqs:ChangeMessageVisibility")));
        for (String function : List.of("ReadApiFunction", "SendFunction", "SenderFunction")) {
            assertThat(environment(function).get("OUTBOX_QUEUE_URL").asText()).as("OUTBOX_QUEUE_URL of %s", function).isEqualTo("OutboxQueue");
        }
    }

    @Test
    void the_sender_may_change_only_the_rate_limit_of_a_session_and_the_send_function_only_read_sessions() {
        List<JsonNode> sessionUpdates = statements("SenderFunction").stream()
                .filter(s -> texts(s.path("Action")).contains("dynamodb:UpdateItem") && texts(s.path("Resource")).contains("SessionsTable.Arn"))
                .toList();
        assertThat(sessionUpdates).singleElement().satisfies(statement ->
                assertThat(condition(statement, "ForAllValues:StringEquals", "dynamodb:Attributes")).containsExactlyInAnyOrder("sessionId", "sendTat"));
        assertThat(statements("SendFunction")).filteredOn(s -> texts(s.path("Resource")).contains("SessionsTable.Arn"))
                .singleElement().satisfies(statement -> assertThat(texts(statement.path("Action"))).containsExactly("dynamodb:GetItem"));
        assertThat(statements("SendFunction")).noneMatch(s -> s.path("Action").toString().contains("kms:"));
    }

    @Test
    void the_send_route_is_a_post_on_the_read_api_with_its_own_integration_permission_and_the_jwt_authorizer_condition() {
        JsonNode route = template.resource("SendMessageRoute").path("Properties");
        assertThat(route.path("RouteKey").asText()).isEqualTo("POST /api/conversations/{conversationId}/messages");
        assertThat(route.path("ApiId").asText()).isEqualTo("ReadHttpApi");
        assertThat(route.path("Target").asText()).contains("SendIntegration");
        assertThat(route.path("AuthorizationType").toString()).contains("UseNativeJwtAuthorizer");
        assertThat(template.resource("SendIntegration").path("Properties").path("IntegrationUri").asText()).contains("SendFunction");
        JsonNode permission = template.resource("SendPermission").path("Properties");
        assertThat(permission.path("FunctionName").asText()).contains("SendFunction");
        assertThat(permission.path("SourceArn").asText()).contains("${ReadHttpApi}/${StageName}/POST/api/conversations/*/messages");
        assertThat(texts(template.resource("ReadHttpApi").path("Properties").path("CorsConfiguration").path("AllowMethods"))).contains("POST");
    }

    @Test
    void the_tenant_index_projects_exactly_the_non_secret_attributes_its_readers_need() {
        JsonNode index = null;
        for (JsonNode candidate : template.resource("SessionsTable").path("Properties").path("GlobalSecondaryIndexes")) {
            if (candidate.path("IndexName").asText().equals(SessionItems.TENANT_INDEX)) {
                index = candidate;
            }
        }
        assertThat(index).as("tenant-index").isNotNull();
        assertThat(index.path("Projection").path("ProjectionType").asText()).isEqualTo("INCLUDE");
        List<String> projected = texts(index.path("Projection").path("NonKeyAttributes"));
        assertThat(projected).containsExactlyInAnyOrderElementsOf(SessionItems.INDEX_ATTRIBUTES);
        assertThat(projected).doesNotContainAnyElementsOf(SessionItems.SECRET_ATTRIBUTES)
                .doesNotContain(SessionItems.SEALED_GATEWAY_CREDENTIAL)
                .as("a listing shows the gateway's base URL and whether a credential is set").contains(SessionItems.GATEWAY_BASE_URL,
                        SessionItems.GATEWAY_CREDENTIAL_SET);
        List<String> keysAndProjected = new ArrayList<>(projected);
        keysAndProjected.addAll(List.of(SessionItems.TENANT_ID, SessionItems.SESSION_ID));
        assertThat(keysAndProjected).as("what the status route reads through the index").containsAll(SessionItems.STATUS_ATTRIBUTES);
        // The local stack creates the same projection, so tests through it see what AWS would.
        try (LocalDynamo dynamo = LocalDynamo.startInMemory().createTables(template)) {
            var created = dynamo.client().describeTable(r -> r.tableName("SessionsTable")).table().globalSecondaryIndexes().get(0).projection();
            assertThat(created.projectionTypeAsString()).isEqualTo("INCLUDE");
            assertThat(created.nonKeyAttributes()).containsExactlyInAnyOrderElementsOf(SessionItems.INDEX_ATTRIBUTES);
        }
    }

    @Test
    void the_webhook_may_update_only_a_sessions_diagnostics_and_read_nothing_back_but_what_it_wrote() {
        List<JsonNode> writes = grants("WebhookFunction", "SessionsTable.Arn",
                "dynamodb:UpdateItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:PartiQLUpdate");
        assertThat(writes).as("statements letting the webhook write SessionsTable").hasSize(1);
        JsonNode update = writes.get(0);
        assertThat(texts(update.path("Action"))).containsExactly("dynamodb:UpdateItem");
        assertThat(condition(update, "ForAllValues:StringEquals", "dynamodb:Attributes"))
                .containsExactlyInAnyOrderElementsOf(SessionItems.WEBHOOK_WRITES)
                .doesNotContainAnyElementsOf(SessionItems.SECRET_ATTRIBUTES)
                .doesNotContain(SessionItems.TENANT_ID, SessionItems.ENABLED, SessionItems.ALLOWED_CIDRS, SessionItems.SIGNATURE,
                        SessionItems.SEALED_GATEWAY_CREDENTIAL, SessionItems.GATEWAY_BASE_URL, SessionItems.GATEWAY_SESSION,
                        SessionItems.GATEWAY_API_VERSION, SessionItems.GATEWAY_CREDENTIAL_SET);
        assertThat(condition(update, "StringEqualsIfExists", "dynamodb:ReturnValues"))
                .containsExactlyInAnyOrder("NONE", "UPDATED_OLD", "UPDATED_NEW");
        assertThat(grants("WebhookFunction", "SessionsTable.Arn", "dynamodb:GetItem")).hasSize(1);
    }

    @Test
    void the_status_function_may_read_only_named_non_secret_attributes_of_sessions() {
        List<JsonNode> sessionReads = statements("WsStatusFunction").stream()
                .filter(s -> texts(s.path("Resource")).stream().anyMatch(r -> r.contains("SessionsTable"))).toList();
        assertThat(sessionReads).hasSize(1);
        JsonNode query = sessionReads.get(0);
        assertThat(texts(query.path("Action"))).containsExactly("dynamodb:Query");
        assertThat(texts(query.path("Resource"))).containsExactly("${SessionsTable.Arn}/index/" + SessionItems.TENANT_INDEX);
        assertThat(condition(query, "ForAllValues:StringEquals", "dynamodb:Attributes"))
                .containsExactlyInAnyOrderElementsOf(SessionItems.STATUS_ATTRIBUTES)
                .doesNotContainAnyElementsOf(SessionItems.SECRET_ATTRIBUTES);
        assertThat(condition(query, "StringEquals", "dynamodb:Select")).containsExactly("SPECIFIC_ATTRIBUTES");
    }

    @Test
    void the_webhook_and_fanout_functions_have_reserved_concurrency_set_by_parameters_that_can_be_zero() {
        Map<String, String> parameters = Map.of("WebhookFunction", "WebhookReservedConcurrency", "FanoutFunction", "FanoutReservedConcurrency");
        parameters.forEach((function, parameter) -> {
            List<String> reserved = texts(template.resource(function).path("Properties").path("ReservedConcurrentExecutions"));
            assertThat(reserved).as("ReservedConcurrentExecutions of %s", function).hasSize(3).element(1).isEqualTo(parameter);
            assertThat(reserved.get(2)).isEqualTo("AWS::NoValue");
            JsonNode declared = template.root().path("Parameters").path(parameter);
            assertThat(declared.path("Type").asText()).isEqualTo("Number");
            assertThat(declared.path("Default").asInt()).as("default of %s", parameter).isPositive();
            assertThat(declared.path("MinValue").asInt(-1)).as("0 must stay possible: new accounts have a limit of 10").isZero();
        });
    }

    @Test
    void every_function_ships_the_one_audited_lambda_jar() throws java.io.IOException {
        // LambdaJarAuditTest audits functions/target/*-lambda.jar; that is what every function deploys.
        assertThat(template.root().path("Globals").path("Function").path("CodeUri").asText()).isEqualTo("functions/");
        template.resourcesOfType(FUNCTION).forEach((function, resource) -> {
            assertThat(resource.path("Properties").path("CodeUri").isMissingNode()).as("%s overrides CodeUri", function).isTrue();
            assertThat(resource.path("Metadata").path("BuildMethod").asText()).as("BuildMethod of %s", function).isEqualTo("makefile");
        });
        java.nio.file.Path root = java.nio.file.Path.of(System.getProperty("template.file", "../template.yaml")).toAbsolutePath().getParent();
        assertThat(java.nio.file.Files.readString(root.resolve("functions").resolve("Makefile")))
                .contains("target/inbox-relay-functions-*-lambda.jar");
    }

    // ------------------------------------------------------------------ how each function is invoked

    /** What calls each function, from the template: HTTP API events, WebSocket integrations, the authorizer, the stream. */
    private Map<String, Trigger> triggers() {
        Map<String, Trigger> triggers = new LinkedHashMap<>();
        template.resourcesOfType(FUNCTION).forEach((function, resource) ->
                resource.path("Properties").path("Events").forEach(event -> {
                    switch (event.path("Type").asText()) {
                        case "HttpApi" -> put(triggers, function, Trigger.HTTP_API);
                        case "DynamoDB" -> put(triggers, function, event.path("Properties").path("FunctionResponseTypes").toString()
                                .contains("ReportBatchItemFailures") ? Trigger.STREAM_WITH_BATCH_FAILURES : Trigger.STREAM);
                        case "SQS" -> put(triggers, function, event.path("Properties").path("FunctionResponseTypes").toString()
                                .contains("ReportBatchItemFailures") ? Trigger.QUEUE_WITH_BATCH_FAILURES : Trigger.QUEUE);
                        default -> fail("%s has an event of type %s this test does not know", function, event.path("Type").asText());
                    }
                }));
        template.resourcesOfType("AWS::ApiGatewayV2::Integration").values().forEach(integration -> {
            JsonNode props = integration.path("Properties");
            String protocol = template.resource(props.path("ApiId").asText()).path("Properties").path("ProtocolType").asText();
            put(triggers, function(props.path("IntegrationUri").asText()), "WEBSOCKET".equals(protocol) ? Trigger.WEBSOCKET_ROUTE : Trigger.HTTP_API);
        });
        template.resourcesOfType("AWS::ApiGatewayV2::Authorizer").values().forEach(authorizer -> {
            JsonNode props = authorizer.path("Properties");
            if ("REQUEST".equals(props.path("AuthorizerType").asText())) {
                put(triggers, function(props.path("AuthorizerUri").asText()), Trigger.WEBSOCKET_AUTHORIZER);
            }
        });
        return triggers;
    }

    private static void put(Map<String, Trigger> triggers, String function, Trigger trigger) {
        Trigger previous = triggers.put(function, trigger);
        assertThat(previous).as("%s is invoked as %s and as %s", function, previous, trigger).isIn(null, trigger);
    }

    private String function(String reference) {
        Matcher matcher = FUNCTION_REFERENCE.matcher(reference);
        while (matcher.find()) {
            if (template.root().path("Resources").has(matcher.group(1))) {
                return matcher.group(1);
            }
        }
        throw new AssertionError("no function named in " + reference);
    }

    private enum Trigger {
        HTTP_API(Set.of(APIGatewayV2HTTPEvent.class), Set.of(APIGatewayV2HTTPResponse.class)),
        WEBSOCKET_ROUTE(Set.of(APIGatewayV2WebSocketEvent.class), Set.of(APIGatewayV2WebSocketResponse.class)),
        // A WebSocket REQUEST authorizer receives the REST-style authorizer payload and answers an IAM
        // policy: the events library's class for it, or the same JSON as a Map.
        WEBSOCKET_AUTHORIZER(Set.of(APIGatewayCustomAuthorizerEvent.class, Map.class), Set.of()),
        STREAM(Set.of(DynamodbEvent.class), Set.of()),
        STREAM_WITH_BATCH_FAILURES(Set.of(DynamodbEvent.class), Set.of(StreamsEventResponse.class)),
        QUEUE(Set.of(com.amazonaws.services.lambda.runtime.events.SQSEvent.class), Set.of()),
        QUEUE_WITH_BATCH_FAILURES(Set.of(com.amazonaws.services.lambda.runtime.events.SQSEvent.class),
                Set.of(com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.class));

        private final Set<Class<?>> inputs;
        private final Set<Class<?>> outputs;

        Trigger(Set<Class<?>> inputs, Set<Class<?>> outputs) {
            this.inputs = inputs;
            this.outputs = outputs;
        }

        void check(String handler, Type input, Type output) {
            assertThat(raw(input)).as("event type %s of %s (invoked as %s)", input, handler, this).isIn(inputs.toArray());
            if (!outputs.isEmpty()) {
                assertThat(raw(output)).as("response type %s of %s (invoked as %s)", output, handler, this).isIn(outputs.toArray());
            }
        }
    }

    /** I and O of the {@code RequestHandler<I, O>} the class implements, directly or through a superclass. */
    private static Type[] requestHandlerTypes(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Type candidate : c.getGenericInterfaces()) {
                if (candidate instanceof ParameterizedType parameterized && parameterized.getRawType() == RequestHandler.class) {
                    return parameterized.getActualTypeArguments();
                }
            }
            if (c.getGenericSuperclass() instanceof ParameterizedType parameterized
                    && RequestHandler.class.isAssignableFrom((Class<?>) parameterized.getRawType())) {
                Type[] inherited = requestHandlerTypes((Class<?>) parameterized.getRawType());
                if (inherited != null && Stream.of(inherited).noneMatch(t -> t instanceof Class<?> || t instanceof ParameterizedType)) {
                    // RequestHandler<I, O> declared on a generic base class: its type arguments are these.
                    return parameterized.getActualTypeArguments();
                }
                return inherited;
            }
        }
        return null;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    // ------------------------------------------------------------------ environment and policies

    /** Required = Config.from fails without it; derived from the code, not listed here. */
    private static List<String> requiredVariables() {
        Map<String, String> all = new HashMap<>();
        Config.VARIABLES.forEach(name -> all.put(name, "1"));
        // Values Config's own checks accept (an overlap of at least three call timeouts).
        all.put("RESUME_OVERLAP_MS", "30000");
        all.put("DYNAMODB_CALL_TIMEOUT_MS", "3000");
        Config.from(all);
        List<String> required = new ArrayList<>();
        for (String name : Config.VARIABLES) {
            Map<String, String> without = new HashMap<>(all);
            without.remove(name);
            try {
                Config.from(without);
            } catch (IllegalStateException missing) {
                required.add(name);
            }
        }
        return required;
    }

    private Map<String, JsonNode> environment(String function) {
        Map<String, JsonNode> env = new LinkedHashMap<>();
        template.root().path("Globals").path("Function").path("Environment").path("Variables").fields()
                .forEachRemaining(e -> env.put(e.getKey(), e.getValue()));
        template.resource(function).path("Properties").path("Environment").path("Variables").fields()
                .forEachRemaining(e -> env.put(e.getKey(), e.getValue()));
        return env;
    }

    private List<JsonNode> statements(String function) {
        JsonNode props = template.resource(function).path("Properties");
        List<JsonNode> statements = new ArrayList<>();
        props.path("Policies").forEach(policy -> policy.path("Statement").forEach(statements::add));
        if (props.has("Role")) {
            String role = props.path("Role").asText().replace(".Arn", "");
            template.resource(role).path("Properties").path("Policies")
                    .forEach(policy -> policy.path("PolicyDocument").path("Statement").forEach(statements::add));
        }
        return statements;
    }

    private static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> texts.add(n.asText()));
        } else if (!node.isMissingNode()) {
            texts.add(node.asText());
        }
        return texts;
    }

    private static List<String> keys(JsonNode schema) {
        List<String> keys = new ArrayList<>();
        schema.forEach(k -> keys.add(k.path("AttributeName").asText() + ":" + k.path("KeyType").asText()));
        return keys;
    }

    private static List<String> keys(List<KeySchemaElement> schema) {
        return schema.stream().map(k -> k.attributeName() + ":" + k.keyTypeAsString()).toList();
    }
}
