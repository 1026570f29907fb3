package io.inboxrelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.local.fixtures.Recorded;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpApiTest {

    private static LocalStack stack;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

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

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI url(String path) {
        return URI.create(stack.httpUrl() + path);
    }

    @Test
    void a_route_of_the_template_gets_a_payload_2_event_with_path_parameters_and_lower_case_headers() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/echo/abc%20d?x=1&x=2&y=%C3%A9")).header("X-Custom-Thing", "Value")
                .header("Cookie", "a=1; b=2").GET());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Echo")).contains("yes");
        JsonNode event = Json.parse(response.body());
        assertThat(event.path("version").asText()).isEqualTo("2.0");
        assertThat(event.path("routeKey").asText()).isEqualTo("GET /echo/{id}");
        assertThat(event.path("rawPath").asText()).isEqualTo("/echo/abc%20d");
        assertThat(event.path("rawQueryString").asText()).isEqualTo("x=1&x=2&y=%C3%A9");
        assertThat(event.path("pathParameters").path("id").asText()).isEqualTo("abc d");
        assertThat(event.path("queryStringParameters").path("x").asText()).isEqualTo("1,2");
        assertThat(event.path("queryStringParameters").path("y").asText()).isEqualTo("é");
        assertThat(event.path("headers").path("x-custom-thing").asText()).isEqualTo("Value");
        assertThat(event.path("headers").has("X-Custom-Thing")).isFalse();
        assertThat(event.path("cookies")).extracting(JsonNode::asText).containsExactly("a=1", "b=2");
        JsonNode context = event.path("requestContext");
        assertThat(context.path("http").path("method").asText()).isEqualTo("GET");
        assertThat(context.path("http").path("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(context.path("stage").asText()).isEqualTo("test");
        assertThat(context.path("timeEpoch").asLong()).isPositive();
        assertThat(event.path("remainingTimeInMillis").asLong()).isBetween(1L, 7000L);
    }

    @Test
    void the_stage_prefix_is_accepted_and_greedy_paths_capture_the_rest() throws Exception {
        JsonNode event = Json.parse(send(HttpRequest.newBuilder(url("/test/files/a/b/c.txt")).DELETE()).body());
        assertThat(event.path("routeKey").asText()).isEqualTo("ANY /files/{proxy+}");
        assertThat(event.path("pathParameters").path("proxy").asText()).isEqualTo("a/b/c.txt");
    }

    @Test
    void a_json_body_arrives_as_text_and_a_binary_body_base64_encoded() throws Exception {
        JsonNode text = Json.parse(send(HttpRequest.newBuilder(url("/echo/1")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}"))).body());
        assertThat(text.path("body").asText()).isEqualTo("{\"a\":1}");
        assertThat(text.path("isBase64Encoded").asBoolean()).isFalse();

        byte[] bytes = {0, 1, 2, (byte) 0xff};
        JsonNode binary = Json.parse(send(HttpRequest.newBuilder(url("/echo/1")).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))).body());
        assertThat(binary.path("isBase64Encoded").asBoolean()).isTrue();
        assertThat(Base64.getDecoder().decode(binary.path("body").asText())).containsExactly(bytes);
    }

    @Test
    void a_body_over_lambdas_6_mb_payload_cap_is_answered_413_before_the_function() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/echo/big")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[6 * 1024 * 1024 + 1])));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(Recorded.of("http")).isEmpty();
    }

    @Test
    void a_route_whose_handler_class_does_not_exist_answers_500_and_unknown_paths_404() throws Exception {
        assertThat(send(HttpRequest.newBuilder(url("/missing")).GET()).statusCode()).isEqualTo(500);
        assertThat(send(HttpRequest.newBuilder(url("/nowhere")).GET()).statusCode()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(url("/echo/1")).PUT(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(404);
    }

    @Test
    void static_files_are_served_from_the_classpath_web_directory() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/local-stack-test.txt")).GET());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("served from the classpath");
    }

    @Test
    void functions_see_the_template_environment_and_the_stacks_own() {
        assertThat(System.getProperty("EVENTS_TABLE")).isEqualTo("EventsTable");
        assertThat(System.getProperty("GREETING")).isEqualTo("hello-us-east-1");
        assertThat(System.getProperty("WS_MANAGEMENT_ENDPOINT")).isEqualTo(stack.managementEndpoint().toString());
        assertThat(System.getProperty("DYNAMODB_ENDPOINT")).isEqualTo(stack.dynamo().endpoint().toString());
        assertThat(System.getProperty("JWT_SECRET")).isEqualTo(TestStacks.JWT_SECRET);
    }
}
