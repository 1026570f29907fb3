package io.inboxrelay.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.local.template.HttpRouteSpec;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.local.template.StreamMappingSpec;
import io.inboxrelay.local.template.WebSocketApiSpec;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the local stack stands up is read from template.yaml: every function, HTTP route, WebSocket
 * route and stream trigger the template declares is what the local stack's reader yields. The
 * expectations are read straight from the YAML tree, not through the reader under test.
 */
class LocalStackReadsTemplateTest {

    private final SamTemplate template = SamTemplate.fromRepository();

    @Test
    void every_function_of_the_template_is_run_with_its_handler() {
        Set<String> declared = template.resourcesOfType("AWS::Serverless::Function").keySet();
        assertThat(template.functions().keySet()).containsExactlyInAnyOrderElementsOf(declared);
        template.functions().forEach((id, spec) -> assertThat(spec.handler())
                .isEqualTo(template.resource(id).path("Properties").path("Handler").asText()));
    }

    @Test
    void every_http_api_event_of_the_template_is_a_local_route() {
        Set<String> declared = new HashSet<>();
        template.resourcesOfType("AWS::Serverless::Function").forEach((id, function) ->
                function.path("Properties").path("Events").forEach(event -> {
                    if ("HttpApi".equals(event.path("Type").asText())) {
                        JsonNode props = event.path("Properties");
                        declared.add(props.path("Method").asText().toUpperCase() + " " + props.path("Path").asText() + " -> " + id);
                    }
                }));
        Set<String> local = template.httpRoutes().stream()
                .map(route -> route.method().toUpperCase() + " " + route.path() + " -> " + route.functionId())
                .collect(Collectors.toSet());
        assertThat(declared).isNotEmpty();
        assertThat(local).containsAll(declared);
        assertThat(template.httpRoutes()).extracting(HttpRouteSpec::path).contains("/webhooks/{sessionId}");
    }

    @Test
    void every_websocket_route_of_the_template_is_a_local_route() {
        WebSocketApiSpec api = template.webSocketApi().orElseThrow();
        Set<String> declared = template.resourcesOfType("AWS::ApiGatewayV2::Route").values().stream()
                .filter(route -> api.logicalId().equals(route.path("Properties").path("ApiId").asText()))
                .map(route -> route.path("Properties").path("RouteKey").asText())
                .collect(Collectors.toSet());
        assertThat(declared).contains("$connect", "$disconnect", "$default", "ping", "subscribe", "resume", "status");
        assertThat(api.routes().keySet()).containsExactlyInAnyOrderElementsOf(declared);
        assertThat(api.routeSelectionExpression()).isEqualTo(
                template.resource(api.logicalId()).path("Properties").path("RouteSelectionExpression").asText());
        assertThat(api.routes().get("$connect").authorizer()).isNotNull();
    }

    @Test
    void the_stream_trigger_runs_locally_with_the_template_settings() {
        JsonNode declared = template.resource("FanoutFunction").path("Properties").path("Events").elements().next().path("Properties");
        StreamMappingSpec local = template.streamMappings().stream()
                .filter(mapping -> mapping.functionId().equals("FanoutFunction")).findFirst().orElseThrow();
        assertThat(local.tableId()).isEqualTo("EventsTable");
        assertThat(local.batchSize()).isEqualTo(declared.path("BatchSize").asInt());
        assertThat(local.maxRetries()).isEqualTo(declared.path("MaximumRetryAttempts").asInt());
        assertThat(local.maxRecordAge()).isEqualTo(Duration.ofSeconds(declared.path("MaximumRecordAgeInSeconds").asLong()));
        assertThat(local.bisectOnError()).isEqualTo(declared.path("BisectBatchOnFunctionError").asBoolean());
        assertThat(local.reportBatchItemFailures()).isTrue();
        assertThat(local.filters()).hasSize(declared.path("FilterCriteria").path("Filters").size());
        assertThat(local.parallelizationFactor()).isEqualTo(declared.path("ParallelizationFactor").asInt(1));
        assertThat(local.startingPosition()).isEqualTo(declared.path("StartingPosition").asText());
    }

    @Test
    void the_stream_triggers_on_failure_destination_is_a_queue_the_local_stack_delivers_to() {
        JsonNode declared = template.resource("FanoutFunction").path("Properties").path("Events").elements().next().path("Properties");
        String queueId = logicalIdIn(declared.path("DestinationConfig").path("OnFailure").path("Destination"));
        assertThat(template.resource(queueId).path("Type").asText()).isEqualTo("AWS::SQS::Queue");
        StreamMappingSpec local = template.streamMappings().stream()
                .filter(mapping -> mapping.functionId().equals("FanoutFunction")).findFirst().orElseThrow();
        assertThat(local.onFailure()).startsWith(queueId + ".");
        assertThat(template.queues()).containsKey(queueId);
        assertThat(template.queues().get(queueId).retention()).isEqualTo(Duration.ofSeconds(
                template.resource(queueId).path("Properties").path("MessageRetentionPeriod").asLong(345_600)));
    }

    @Test
    void every_sqs_event_of_the_template_is_a_local_queue_trigger() {
        Set<String> declared = new HashSet<>();
        template.resourcesOfType("AWS::Serverless::Function").forEach((id, function) ->
                function.path("Properties").path("Events").forEach(event -> {
                    if ("SQS".equals(event.path("Type").asText())) {
                        JsonNode props = event.path("Properties");
                        declared.add(id + " <- " + logicalIdIn(props.path("Queue")) + " x" + props.path("BatchSize").asInt(10));
                    }
                }));
        Set<String> local = template.queueTriggers().stream()
                .map(trigger -> trigger.functionId() + " <- " + trigger.queueId() + " x" + trigger.batchSize())
                .collect(Collectors.toSet());
        assertThat(local).containsExactlyInAnyOrderElementsOf(declared);
        assertThat(template.queueTriggers()).allSatisfy(trigger -> assertThat(template.queues()).containsKey(trigger.queueId()));
    }

    /** The resource a !GetAtt X.Arn (read as "X.Arn") or {Fn::GetAtt: [X, Arn]} names. */
    private static String logicalIdIn(JsonNode reference) {
        JsonNode getAtt = reference.path("Fn::GetAtt");
        return getAtt.isArray() ? getAtt.get(0).asText() : reference.asText().split("\\.")[0];
    }
}
