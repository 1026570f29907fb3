package io.inboxrelay.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.realtime.Connection;
import io.inboxrelay.local.DemoTenant;
import io.inboxrelay.local.LocalStack;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.store.ConnectionStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code tail} as a browser of the local stack: a signed webhook becomes a line in the terminal. */
class TailCommandTest {

    private static final String SECRET = "tail-test-secret-tail-test-secret-0123456789";
    private static final CliRunner CLI = new CliRunner(Clock.systemUTC(), SECRET);
    private static LocalStack stack;
    private static DemoTenant demo;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(SamTemplate.fromRepository(), LocalStack.Options.ephemeral(SECRET));
        demo = DemoTenant.seed(stack);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    /** A tail running in the background until {@code stop} is counted down. */
    private record Tail(CountDownLatch stop, CliRunner.Streams streams, CompletableFuture<CliRunner.Result> result) {

        static Tail start(String... args) {
            CountDownLatch stop = new CountDownLatch(1);
            CliRunner.Streams streams = new CliRunner.Streams();
            CompletableFuture<CliRunner.Result> result = CompletableFuture.supplyAsync(() -> CLI.run(stop, streams, args));
            return new Tail(stop, streams, result);
        }

        CliRunner.Result stopNow() throws Exception {
            stop.countDown();
            return result.get(10, TimeUnit.SECONDS);
        }
    }

    private static void await(String what, Supplier<String> text, Predicate<String> condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            if (condition.test(text.get())) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new AssertionError("never saw " + what + " in:\n" + text.get());
    }

    private static long count(String text, String needle) {
        return text.lines().filter(line -> line.contains(needle)).count();
    }

    @Test
    void a_signed_webhook_shows_up_as_one_line_and_ctrl_c_ends_with_exit_0() throws Exception {
        Tail tail = Tail.start("tail", "--tenant", demo.tenantId(), "--url", stack.webSocketUrl().toString());
        await("the connection", tail.streams()::err, err -> err.contains("tail: following tenant " + demo.tenantId()));

        assertThat(StackClient.post(stack, demo.sessionId(), demo.secret(), StackClient.message("Hola desde tail"))).isEqualTo(200);
        await("the event line", tail.streams()::out, out -> out.contains("Hola desde tail"));
        CliRunner.Result result = tail.stopNow();

        assertThat(result.code()).isZero();
        assertThat(result.lines()).filteredOn(line -> line.contains("new_message")).singleElement().asString()
                .matches("\\d\\d:\\d\\d:\\d\\d  new_message +  from Ana Lead \\+573001234567: Hola desde tail");
        assertThat(result.err().lines()).allMatch(line -> line.startsWith("tail: "));
    }

    @Test
    void json_prints_each_event_as_the_browser_receives_it() throws Exception {
        Tail tail = Tail.start("tail", "--tenant", demo.tenantId(), "--url", stack.webSocketUrl().toString(), "--json",
                "--channels", "messages");
        await("the connection", tail.streams()::err, err -> err.contains("tail: following"));

        assertThat(StackClient.post(stack, demo.sessionId(), demo.secret(), StackClient.message("json please"))).isEqualTo(200);
        await("the event", tail.streams()::out, out -> out.contains("json please"));
        CliRunner.Result result = tail.stopNow();

        List<JsonNode> events = result.lines().stream().map(Json::parse).toList();
        assertThat(events).allSatisfy(event -> {
            assertThat(event.path("tenant_id").asText()).isEqualTo(demo.tenantId());
            assertThat(event.path("id").asText()).isNotBlank();
        });
        assertThat(events).filteredOn(event -> event.path("type").asText().equals("new_message"))
                .anySatisfy(event -> assertThat(event.path("message").path("content").asText()).isEqualTo("json please"));
    }

    @Test
    void after_a_drop_it_reconnects_and_resumes_without_missing_or_repeating_an_event() throws Exception {
        Tail tail = Tail.start("tail", "--tenant", demo.tenantId(), "--url", stack.webSocketUrl().toString());
        await("the connection", tail.streams()::err, err -> err.contains("tail: following"));
        assertThat(StackClient.post(stack, demo.sessionId(), demo.secret(), StackClient.message("before the drop"))).isEqualTo(200);
        await("the first event", tail.streams()::out, out -> out.contains("before the drop"));

        List<Connection> open = new ConnectionStore(stack.dynamo().client(), "ConnectionsTable", Duration.ZERO, Clock.systemUTC())
                .forTenant(demo.tenantId());
        for (Connection connection : open) {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.managementEndpoint() + "/@connections/"
                    + connection.connectionId())).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        }
        await("the drop", tail.streams()::err, err -> err.contains("tail: connection closed"));
        assertThat(StackClient.post(stack, demo.sessionId(), demo.secret(), StackClient.message("during the drop"))).isEqualTo(200);
        await("the reconnection", tail.streams()::err, err -> count(err, "tail: following") == 2);
        await("the missed event", tail.streams()::out, out -> out.contains("during the drop"));
        CliRunner.Result result = tail.stopNow();

        assertThat(result.err()).contains(", from ");
        assertThat(count(result.out(), "before the drop")).as("the overlap of resume is not shown twice").isEqualTo(1);
        assertThat(count(result.out(), "during the drop")).isEqualTo(1);
    }

    @Test
    void ctrl_c_stops_the_real_process_with_exit_0() throws Exception {
        try (JavaProcess tail = JavaProcess.start(Map.of("JWT_SECRET", SECRET), "tail", "--tenant", demo.tenantId(),
                "--url", stack.webSocketUrl().toString())) {
            Instant deadline = Instant.now().plusSeconds(30);
            while (!tail.err().contains("tail: following") && tail.process.isAlive() && Instant.now().isBefore(deadline)) {
                tail.process.waitFor(50, TimeUnit.MILLISECONDS);
            }
            assertThat(tail.err()).contains("tail: following");
            assertThat(StackClient.post(stack, demo.sessionId(), demo.secret(), StackClient.message("seen by the process"))).isEqualTo(200);
            while (!tail.out().contains("seen by the process") && Instant.now().isBefore(deadline)) {
                tail.process.waitFor(50, TimeUnit.MILLISECONDS);
            }

            tail.signal("INT");

            assertThat(tail.process.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(tail.process.exitValue()).isZero();
            assertThat(tail.out()).contains("new_message", "seen by the process");
            assertThat(tail.err().lines()).allMatch(line -> line.startsWith("tail: "));
        }
    }
}
