package io.inboxrelay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.local.fixtures.Recorded;
import io.inboxrelay.local.ws.WsLimits;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebSocketApiTest {

    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = TestStacks.start(LocalStack.Options.ephemeral(TestStacks.JWT_SECRET));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @BeforeEach
    void forget() {
        Recorded.clear();
    }

    private static URI url(String query) {
        return URI.create(stack.webSocketUrl() + (query == null ? "" : "?" + query));
    }

    @Test
    void a_connection_without_the_identity_source_is_refused_401_without_calling_the_authorizer() {
        assertThatThrownBy(() -> TestSocket.connect(url(null)))
                .hasCauseInstanceOf(UpgradeException.class)
                .cause().satisfies(e -> assertThat(((UpgradeException) e).getResponseStatusCode()).isEqualTo(401));
        assertThat(Recorded.of("authorizer")).isEmpty();
    }

    @Test
    void an_authorizer_deny_refuses_the_upgrade_with_403_and_unauthorized_with_401() {
        assertThatThrownBy(() -> TestSocket.connect(url("token=deny")))
                .cause().satisfies(e -> assertThat(((UpgradeException) e).getResponseStatusCode()).isEqualTo(403));
        assertThatThrownBy(() -> TestSocket.connect(url("token=forged")))
                .cause().satisfies(e -> assertThat(((UpgradeException) e).getResponseStatusCode()).isEqualTo(401));
        assertThat(Recorded.of("$connect")).isEmpty();
    }

    @Test
    void a_connect_handler_answering_non_2xx_refuses_the_upgrade_with_its_status() {
        assertThatThrownBy(() -> TestSocket.connect(url("token=good-t1&mode=reject")))
                .cause().satisfies(e -> assertThat(((UpgradeException) e).getResponseStatusCode()).isEqualTo(403));
    }

    @Test
    void connect_event_is_shaped_as_api_gateway_shapes_it_with_the_authorizer_context() throws Exception {
        try (TestSocket socket = TestSocket.connect(url("token=good-t1"))) {
            JsonNode authorizerEvent = Recorded.of("authorizer").get(0);
            assertThat(authorizerEvent.path("queryStringParameters").path("token").asText()).isEqualTo("good-t1");
            assertThat(authorizerEvent.path("requestContext").path("eventType").asText()).isEqualTo("CONNECT");

            JsonNode connect = Recorded.of("$connect").get(0);
            JsonNode context = connect.path("requestContext");
            assertThat(context.path("routeKey").asText()).isEqualTo("$connect");
            assertThat(context.path("eventType").asText()).isEqualTo("CONNECT");
            assertThat(context.path("stage").asText()).isEqualTo("test");
            assertThat(context.path("connectionId").asText()).isNotBlank();
            assertThat(context.path("domainName").asText()).isEqualTo("127.0.0.1:" + stack.wsPort());
            assertThat(context.path("identity").path("sourceIp").asText()).isEqualTo("127.0.0.1");
            assertThat(context.path("requestTimeEpoch").asLong()).isPositive();
            assertThat(context.path("authorizer").path("tenant_id").asText()).isEqualTo("t1");
            assertThat(context.path("authorizer").path("principalId").asText()).isEqualTo("user-1");
            assertThat(connect.path("queryStringParameters").path("token").asText()).isEqualTo("good-t1");
        }
    }

    @Test
    void the_connect_handlers_subprotocol_is_echoed_in_the_upgrade() throws Exception {
        try (TestSocket socket = TestSocket.connect(url("token=good-t1"), List.of("inbox-relay", "a.b.c"))) {
            assertThat(socket.acceptedSubprotocol()).isEqualTo("inbox-relay");
        }
    }

    @Test
    void messages_are_routed_on_the_type_field_and_two_way_routes_answer() throws Exception {
        try (TestSocket socket = TestSocket.connect(url("token=good-t1"))) {
            socket.send("{\"type\":\"echo\",\"n\":1}");
            JsonNode reply = Json.parse(socket.next(Duration.ofSeconds(5)));
            assertThat(reply.path("route").asText()).isEqualTo("echo");

            JsonNode event = Recorded.of("echo").get(0);
            assertThat(event.path("body").asText()).isEqualTo("{\"type\":\"echo\",\"n\":1}");
            assertThat(event.path("requestContext").path("eventType").asText()).isEqualTo("MESSAGE");
            assertThat(event.path("requestContext").path("authorizer").path("tenant_id").asText()).isEqualTo("t1");
            assertThat(event.path("requestContext").path("connectionId").asText())
                    .isEqualTo(reply.path("connectionId").asText());
        }
    }

    @Test
    void unknown_types_and_non_json_go_to_default_and_one_way_routes_send_nothing_back() throws Exception {
        try (TestSocket socket = TestSocket.connect(url("token=good-t1"))) {
            socket.send("not json at all");
            assertThat(Json.parse(socket.next(Duration.ofSeconds(5))).path("route").asText()).isEqualTo("$default");
            socket.send("{\"type\":\"nope\"}");
            assertThat(Json.parse(socket.next(Duration.ofSeconds(5))).path("route").asText()).isEqualTo("$default");

            socket.send("{\"type\":\"oneway\"}");
            await().atMost(Duration.ofSeconds(30)).until(() -> !Recorded.of("oneway").isEmpty());
            socket.send("{\"type\":\"echo\"}");
            assertThat(Json.parse(socket.next(Duration.ofSeconds(5))).path("route").asText()).isEqualTo("echo");
        }
    }

    @Test
    void a_failing_route_answers_internal_server_error_and_keeps_the_connection() throws Exception {
        try (TestSocket socket = TestSocket.connect(url("token=good-t1"))) {
            socket.send("{\"type\":\"explode\"}");
            assertThat(Json.parse(socket.next(Duration.ofSeconds(5))).path("message").asText()).isEqualTo("Internal server error");
            assertThat(socket.session().isOpen()).isTrue();
        }
    }

    @Test
    void a_message_over_128_kb_closes_the_connection_with_1009() throws Exception {
        TestSocket socket = TestSocket.connect(url("token=good-t1"));
        String chunk = "x".repeat(32 * 1024);
        // 129 KB in frames of 32 KB: under the frame quota, over the message quota
        for (int i = 0; i < 4; i++) {
            Callback.Completable sent = new Callback.Completable();
            socket.session().sendPartialText(chunk, false, sent);
            sent.get(5, TimeUnit.SECONDS);
        }
        socket.session().sendPartialText("x".repeat(1024), true, Callback.NOOP);
        assertThat(socket.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1009);
        await().atMost(Duration.ofSeconds(30)).until(() -> !Recorded.of("$disconnect").isEmpty());
        assertThat(Recorded.of("$disconnect").get(0).path("requestContext").path("eventType").asText()).isEqualTo("DISCONNECT");
    }

    @Test
    void a_single_frame_over_32_kb_closes_the_connection_with_1009() throws Exception {
        TestSocket socket = TestSocket.connect(url("token=good-t1"));
        socket.session().sendText("y".repeat(33 * 1024), Callback.NOOP);
        assertThat(socket.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1009);
    }

    @Test
    void a_message_of_100_kb_in_32_kb_frames_is_delivered() throws Exception {
        try (TestSocket socket = TestSocket.connect(url("token=good-t1"))) {
            String body = "{\"type\":\"oneway\",\"pad\":\"" + "z".repeat(100 * 1024) + "\"}";
            for (int offset = 0; offset < body.length(); offset += 32 * 1024) {
                Callback.Completable sent = new Callback.Completable();
                socket.session().sendPartialText(body.substring(offset, Math.min(body.length(), offset + 32 * 1024)),
                        offset + 32 * 1024 >= body.length(), sent);
                sent.get(5, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !Recorded.of("oneway").isEmpty());
            assertThat(Recorded.of("oneway").get(0).path("body").asText()).hasSize(body.length());
        }
    }

    @Test
    void an_idle_connection_is_closed_and_disconnect_is_called_with_its_status() throws Exception {
        try (LocalStack quick = TestStacks.start(LocalStack.Options.ephemeral(TestStacks.JWT_SECRET)
                .withLimits(WsLimits.AWS.withIdleTimeout(Duration.ofMillis(400))))) {
            TestSocket socket = TestSocket.connect(URI.create(quick.webSocketUrl() + "?token=good-t1"));
            assertThat(socket.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1001);
            await().atMost(Duration.ofSeconds(30)).until(() -> !Recorded.of("$disconnect").isEmpty());
            assertThat(Recorded.of("$disconnect").get(0).path("requestContext").path("connectionId").asText()).isNotBlank();
        }
    }

    @Test
    void a_connection_is_closed_at_the_maximum_duration_even_when_active() throws Exception {
        try (LocalStack quick = TestStacks.start(LocalStack.Options.ephemeral(TestStacks.JWT_SECRET)
                .withLimits(WsLimits.AWS.withMaxDuration(Duration.ofMillis(600))))) {
            TestSocket socket = TestSocket.connect(URI.create(quick.webSocketUrl() + "?token=good-t1"));
            socket.send("{\"type\":\"oneway\"}");
            assertThat(socket.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1001);
        }
    }
}
