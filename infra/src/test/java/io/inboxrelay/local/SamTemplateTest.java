package io.inboxrelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.local.template.HttpRouteSpec;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.local.template.WebSocketApiSpec;
import org.junit.jupiter.api.Test;

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
        });
    }
}
