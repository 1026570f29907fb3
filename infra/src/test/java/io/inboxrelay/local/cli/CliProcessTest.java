package io.inboxrelay.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.core.Json;
import io.inboxrelay.local.LocalDynamo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real entry point in its own JVM: standard error carries no library noise (SLF4J's provider
 * notice, java.util.logging warnings, log4j status lines), only the tool's own one-line errors.
 */
class CliProcessTest {

    private static final Map<String, String> ENV = Map.of("JWT_SECRET", "process-test-secret-process-test-secret-0123");

    @Test
    void token_prints_one_line_and_nothing_on_standard_error() throws Exception {
        CliRunner.Result result = JavaProcess.run(ENV, "token", "--tenant", "acme");

        assertThat(result.code()).isZero();
        assertThat(result.lines()).hasSize(1);
        assertThat(result.out()).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\n");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void help_is_exit_0_with_nothing_on_standard_error() throws Exception {
        CliRunner.Result result = JavaProcess.run(ENV, "status", "--help");

        assertThat(result.code()).isZero();
        assertThat(result.out()).startsWith("usage: inbox-relay status");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void a_usage_error_is_exit_2_and_two_lines_on_standard_error() throws Exception {
        CliRunner.Result result = JavaProcess.run(ENV, "sessions", "list", "--colour", "red");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("inbox-relay sessions list: unknown option '--colour'\nsee 'inbox-relay sessions list --help'\n");
    }

    @Test
    void a_failure_is_exit_1_and_one_line_on_standard_error_without_library_logs() throws Exception {
        CliRunner.Result result = JavaProcess.run(ENV, "status", "--tenant", "acme", "--dynamo-port", String.valueOf(LocalDynamo.freePort()));

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err().lines()).hasSize(1);
        assertThat(result.err()).startsWith("inbox-relay status: cannot reach DynamoDB Local");
    }

    @Test
    void verbose_shows_the_library_logs_on_standard_error() throws Exception {
        CliRunner.Result result = JavaProcess.run(ENV, "sessions", "list", "--verbose", "--dynamo-port", String.valueOf(LocalDynamo.freePort()));

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err().lines().count()).isGreaterThan(1);
    }

    @Test
    void the_local_stack_starts_with_nothing_on_standard_error_and_no_secret_it_did_not_make(@TempDir Path work) throws Exception {
        Path stackFile = work.resolve("stack.json");
        try (JavaProcess stack = JavaProcess.start(ENV, "run", "--http-port", "0", "--ws-port", "0", "--sqs-port", "0",
                "--simulator-port", "0", "--dynamo-port", String.valueOf(LocalDynamo.freePort()), "--stack-file", stackFile.toString())) {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (!Files.exists(stackFile) && stack.process.isAlive() && Instant.now().isBefore(deadline)) {
                stack.process.waitFor(100, TimeUnit.MILLISECONDS);
            }
            assertThat(stackFile).as("the stack came up: %s", stack.err()).exists();
            assertThat(Json.parse(Files.readString(stackFile)).path("tenant").asText()).isEqualTo("demo-tenant");

            stack.signal("TERM");
            assertThat(stack.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(stack.out()).contains("inbox-relay local stack is up", "infra/bin/inbox-relay status --tenant demo-tenant");
            assertThat(stack.out()).as("the JWT secret is not echoed").doesNotContain(ENV.get("JWT_SECRET")).contains("JWT secret      HS256, from JWT_SECRET");
            assertThat(stack.err()).isEmpty();
        }
    }
}
