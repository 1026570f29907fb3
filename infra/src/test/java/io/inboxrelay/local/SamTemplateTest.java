package io.inboxrelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboxrelay.local.template.HttpRouteSpec;
import io.inboxrelay.local.template.QueueSpec;
import io.inboxrelay.local.template.QueueTriggerSpec;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.local.template.StreamMappingSpec;
import io.inboxrelay.local.template.WebSocketApiSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamTemplateTest {

    @Test
    void the_test_templates_websocket_api_routes_integrations_and_authorizer_are_read() {
        WebSocketApiSpec api = TestStacks.testTemplate().webSocketApi().orElseThrow();
        assertThat(api.routeSelectionExpression()).isEqualTo("$request.body.type");
        assertThat(api.routes()).containsKeys("$connect", "$disconnect", "$default", "echo", "oneway");
        assertThat(api.route("$connect").orElseThrow().authorizer().functionId()).isEqualTo("WsAuthorizerFunction");
        assertThat(api.route("$connect").orElseThrow().authorizer().identitySources()).containsExactly("route.request.querystring.token");
        assertThat(api.route("$disconnect").orElseThrow().functionId()).isEqualTo("WsFunction");
        assertThat(api.route("echo").orElseThrow().twoWay()).isTrue();
        assertThat(api.route("oneway").orElseThrow().twoWay()).isFalse();
    }

    @Test
    void the_test_templates_stream_mappings_carry_parallelization_factor_and_starting_position() {
        StreamMappingSpec parallel = TestStacks.testTemplate().streamMappings().stream()
                .filter(mapping -> mapping.functionId().equals("ParallelStreamFunction")).findFirst().orElseThrow();
        assertThat(parallel.tableId()).isEqualTo("ParallelEventsTable");
        assertThat(parallel.parallelizationFactor()).isEqualTo(4);
        assertThat(parallel.startingPosition()).isEqualTo("TRIM_HORIZON");
        StreamMappingSpec serial = TestStacks.testTemplate().streamMappings().get(0);
        assertThat(serial.parallelizationFactor()).as("default").isEqualTo(1);
        assertThat(serial.onFailure()).isEqualTo("StreamFailureQueue.Arn");
    }

    @Test
    void a_parallelization_factor_lambda_would_refuse_is_refused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("template.yaml");
        Files.writeString(file, """
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: x.Y::handleRequest
                      Events:
                        S:
                          Type: DynamoDB
                          Properties: { Stream: !GetAtt T.StreamArn, StartingPosition: LATEST, ParallelizationFactor: 11 }
                """);
        assertThatThrownBy(() -> SamTemplate.load(file).streamMappings()).hasMessageContaining("ParallelizationFactor");
    }

    @Test
    void the_test_templates_queues_and_sqs_triggers_are_read() {
        SamTemplate template = TestStacks.testTemplate();
        QueueSpec failures = template.queues().get("StreamFailureQueue");
        assertThat(failures.visibilityTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(failures.retention()).as("default").isEqualTo(Duration.ofDays(4));
        assertThat(failures.deadLetterQueueId()).isEqualTo("StreamFailureDeadLetterQueue");
        assertThat(failures.maxReceiveCount()).isEqualTo(3);
        assertThat(failures.arn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:StreamFailureQueue");
        QueueSpec deadLetters = template.queues().get("StreamFailureDeadLetterQueue");
        assertThat(deadLetters.name()).isEqualTo("stream-failures-dlq");
        assertThat(deadLetters.visibilityTimeout()).as("default").isEqualTo(Duration.ofSeconds(30));
        assertThat(deadLetters.maxReceiveCount()).isZero();
        assertThat(template.queueTriggers()).containsExactly(
                new QueueTriggerSpec("FailureQueueFunction", "StreamFailureQueue", 10, Duration.ZERO, true, true),
                new QueueTriggerSpec("UnwrittenQueueFunction", "StreamFailureQueue", 5, Duration.ZERO, false, true));
    }

    @Test
    void the_repository_template_is_fully_understood() {
        SamTemplate template = SamTemplate.fromRepository();
        assertThat(template.functions().values()).allSatisfy(function ->
                assertThat(function.className()).startsWith("io.inboxrelay.handler."));
        assertThat(template.httpRoutes()).extracting(HttpRouteSpec::routeKey).contains("POST /webhooks/{sessionId}");
        assertThat(template.httpRoutes()).allSatisfy(route -> assertThat(route.functionId()).isNotNull());
        WebSocketApiSpec api = template.webSocketApi().orElseThrow();
        assertThat(api.routes()).containsKeys("$connect", "$disconnect");
        assertThat(api.routes().values()).allSatisfy(route -> assertThat(route.functionId()).isNotNull());
        assertThat(api.route("$connect").orElseThrow().authorizer()).isNotNull();
        assertThat(template.streamMappings()).singleElement().satisfies(mapping -> {
            assertThat(mapping.tableId()).isEqualTo("EventsTable");
            assertThat(mapping.reportBatchItemFailures()).isTrue();
            assertThat(mapping.filters()).isNotEmpty();
            assertThat(template.queues()).containsKey(mapping.onFailure().split("\\.")[0]);
        });
        assertThat(template.queueTriggers()).allSatisfy(trigger -> assertThat(template.queues()).containsKey(trigger.queueId()));
    }
}
