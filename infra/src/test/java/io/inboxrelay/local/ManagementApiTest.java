package io.inboxrelay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.local.fixtures.Recorded;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GetConnectionResponse;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.PayloadTooLargeException;

class ManagementApiTest {

    private static LocalStack stack;
    private static ApiGatewayManagementApiClient management;

    @BeforeAll
    static void start() {
        stack = TestStacks.start(LocalStack.Options.ephemeral(TestStacks.JWT_SECRET));
        management = ApiGatewayManagementApiClient.builder()
                .endpointOverride(stack.managementEndpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stop() {
        management.close();
        stack.close();
    }

    private static String connectionIdOf(TestSocket socket) throws Exception {
        socket.send("{\"type\":\"echo\"}");
        return Json.parse(socket.next(Duration.ofSeconds(5))).path("connectionId").asText();
    }

    @Test
    void post_to_connection_reaches_the_socket() throws Exception {
        try (TestSocket socket = TestSocket.connect(URI.create(stack.webSocketUrl() + "?token=good-t1"))) {
            String connectionId = connectionIdOf(socket);
            management.postToConnection(r -> r.connectionId(connectionId).data(SdkBytes.fromUtf8String("{\"type\":\"new_message\"}")));
            assertThat(socket.next(Duration.ofSeconds(5))).isEqualTo("{\"type\":\"new_message\"}");
        }
    }

    @Test
    void get_connection_answers_when_it_connected_and_who_it_is() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        try (TestSocket socket = TestSocket.connect(URI.create(stack.webSocketUrl() + "?token=good-t1"))) {
            String connectionId = connectionIdOf(socket);
            GetConnectionResponse connection = management.getConnection(r -> r.connectionId(connectionId));
            assertThat(connection.connectedAt()).isAfter(before);
            assertThat(connection.lastActiveAt()).isAfterOrEqualTo(connection.connectedAt());
            assertThat(connection.identity().sourceIp()).isEqualTo("127.0.0.1");
            assertThat(connection.identity().userAgent()).isNotBlank();
        }
    }

    @Test
    void delete_connection_closes_the_socket_and_then_it_is_gone() throws Exception {
        Recorded.clear();
        TestSocket socket = TestSocket.connect(URI.create(stack.webSocketUrl() + "?token=good-t1"));
        String connectionId = connectionIdOf(socket);
        management.deleteConnection(r -> r.connectionId(connectionId));
        assertThat(socket.closeCode.get(30, TimeUnit.SECONDS)).isEqualTo(1000);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Recorded.of("$disconnect").stream()
                .anyMatch(event -> connectionId.equals(event.path("requestContext").path("connectionId").asText())));
        assertThatThrownBy(() -> management.postToConnection(r -> r.connectionId(connectionId).data(SdkBytes.fromUtf8String("x"))))
                .isInstanceOf(GoneException.class);
    }

    @Test
    void an_unknown_connection_is_gone_for_post_get_and_delete() {
        assertThatThrownBy(() -> management.postToConnection(r -> r.connectionId("Zm9vYmFyYmF6cXV4=").data(SdkBytes.fromUtf8String("x"))))
                .isInstanceOf(GoneException.class)
                .satisfies(e -> assertThat(((GoneException) e).statusCode()).isEqualTo(410));
        assertThatThrownBy(() -> management.getConnection(r -> r.connectionId("Zm9vYmFyYmF6cXV4="))).isInstanceOf(GoneException.class);
        assertThatThrownBy(() -> management.deleteConnection(r -> r.connectionId("Zm9vYmFyYmF6cXV4="))).isInstanceOf(GoneException.class);
    }

    @Test
    void gone_is_answered_with_the_same_status_header_and_body_as_aws() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stack.managementEndpoint() + "/@connections/nobody%3D"))
                        .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(410);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).contains("GoneException");
        JsonNode body = Json.parse(response.body());
        assertThat(body.has("message")).isTrue();
        assertThat(body.get("message").isNull()).isTrue();
    }

    @Test
    void a_post_over_128_kb_is_refused_as_payload_too_large() throws Exception {
        try (TestSocket socket = TestSocket.connect(URI.create(stack.webSocketUrl() + "?token=good-t1"))) {
            String connectionId = connectionIdOf(socket);
            assertThatThrownBy(() -> management.postToConnection(r -> r.connectionId(connectionId)
                    .data(SdkBytes.fromUtf8String("x".repeat(128 * 1024 + 1)))))
                    .isInstanceOf(PayloadTooLargeException.class);
            assertThat(socket.session().isOpen()).isTrue();
        }
    }
}
