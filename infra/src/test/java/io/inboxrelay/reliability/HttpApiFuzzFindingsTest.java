package io.inboxrelay.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.core.Json;
import io.inboxrelay.local.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the schemathesis run over infra/openapi.yaml found, pinned as ordinary tests. */
class HttpApiFuzzFindingsTest {

    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = ReliabilityStack.start();
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.httpUrl() + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listing_the_sessions_of_an_empty_or_malformed_tenant_id_is_a_400_not_a_503() throws Exception {
        for (String tenant : new String[] {"", "%20", "a%2Fb%00"}) {
            HttpResponse<String> response = get("/admin/sessions?tenant_id=" + tenant);
            assertThat(response.statusCode()).as("tenant_id=%s", tenant).isEqualTo(400);
            assertThat(Json.parse(response.body()).path("error").asText()).isEqualTo("bad_request");
        }
    }

    @Test
    void a_path_the_server_refuses_before_routing_is_still_answered_in_json() throws Exception {
        HttpResponse<String> response = get("/admin/sessions/a%2F..%2Fb");
        assertThat(response.statusCode()).isBetween(400, 499);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(Json.parse(response.body()).isObject()).isTrue();
    }

    @Test
    void a_put_the_server_refuses_before_routing_is_answered_in_json_too() throws Exception {
        HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                stack.httpUrl().resolve("/admin/sessions/a%2F..%2Fb/gateway")).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isBetween(400, 499);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(Json.parse(response.body()).isObject()).isTrue();
    }
}
