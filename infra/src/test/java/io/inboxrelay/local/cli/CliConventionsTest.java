package io.inboxrelay.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.auth.JwtTokenVerifier;
import io.inboxrelay.local.LocalDynamo;
import io.inboxrelay.local.template.SamTemplate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The tool behaves like one: help everywhere, mistakes named with the help to read, exit codes, JSON for scripts. */
class CliConventionsTest {

    private static final CliRunner CLI = new CliRunner();
    private static LocalDynamo dynamo;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.startInMemory().createTables(SamTemplate.fromRepository());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    private static String port() {
        return String.valueOf(dynamo.endpoint().getPort());
    }

    static Stream<Arguments> helpRequests() {
        return Stream.of(
                Arguments.of(List.of("--help"), "usage: inbox-relay [COMMAND]"),
                Arguments.of(List.of("-h"), "usage: inbox-relay [COMMAND]"),
                Arguments.of(List.of("help"), "usage: inbox-relay [COMMAND]"),
                Arguments.of(List.of("run", "--help"), "usage: inbox-relay run"),
                Arguments.of(List.of("token", "-h"), "usage: inbox-relay token"),
                Arguments.of(List.of("token", "--tenant", "x", "--help"), "usage: inbox-relay token"),
                Arguments.of(List.of("sessions", "--help"), "usage: inbox-relay sessions ACTION"),
                Arguments.of(List.of("help", "sessions"), "usage: inbox-relay sessions ACTION"),
                Arguments.of(List.of("sessions", "add", "--help"), "usage: inbox-relay sessions add"),
                Arguments.of(List.of("sessions", "list", "-h"), "usage: inbox-relay sessions list"),
                Arguments.of(List.of("sessions", "rotate", "--help"), "usage: inbox-relay sessions rotate"),
                Arguments.of(List.of("sessions", "disable", "--help"), "usage: inbox-relay sessions disable"),
                Arguments.of(List.of("sessions", "enable", "--help"), "usage: inbox-relay sessions enable"),
                Arguments.of(List.of("help", "sessions", "add"), "usage: inbox-relay sessions add"),
                Arguments.of(List.of("status", "--help"), "usage: inbox-relay status"),
                Arguments.of(List.of("tail", "--help"), "usage: inbox-relay tail"),
                Arguments.of(List.of("help", "tail"), "usage: inbox-relay tail"));
    }

    @ParameterizedTest
    @MethodSource("helpRequests")
    void every_command_and_action_has_its_own_help_with_examples_and_exit_0(List<String> args, String usage) {
        CliRunner.Result result = CLI.run(args.toArray(String[]::new));

        assertThat(result.code()).isZero();
        assertThat(result.out()).startsWith(usage.startsWith("usage: inbox-relay [") ? "inbox-relay - " : usage).contains(usage);
        if (!args.equals(List.of("help"))) {
            assertThat(result.out()).contains("examples:");
        }
        assertThat(result.err()).isEmpty();
    }

    static Stream<Arguments> unknownOptions() {
        return Stream.of(
                Arguments.of(List.of("token", "--tenant", "x", "--colour", "red"), "token"),
                Arguments.of(List.of("sessions", "add", "--tenant", "x", "--colour", "red"), "sessions add"),
                Arguments.of(List.of("sessions", "list", "--colour", "red"), "sessions list"),
                Arguments.of(List.of("sessions", "rotate", "--session", "s", "--colour", "red"), "sessions rotate"),
                Arguments.of(List.of("sessions", "disable", "--colour", "red"), "sessions disable"),
                Arguments.of(List.of("sessions", "enable", "--colour", "red"), "sessions enable"),
                Arguments.of(List.of("status", "--tenant", "x", "--colour", "red"), "status"),
                Arguments.of(List.of("tail", "--tenant", "x", "--colour", "red"), "tail"),
                Arguments.of(List.of("run", "--colour", "red"), "run"),
                Arguments.of(List.of("--colour", "red"), "run"));
    }

    @ParameterizedTest
    @MethodSource("unknownOptions")
    void an_unknown_option_is_named_with_its_commands_help_and_exit_2(List<String> args, String command) {
        CliRunner.Result result = CLI.run(args.toArray(String[]::new));

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("inbox-relay " + command + ": unknown option '--colour'\n"
                + "see 'inbox-relay " + command + " --help'\n");
    }

    @Test
    void an_unknown_command_or_action_points_to_the_help_that_lists_them() {
        CliRunner.Result command = CLI.run("frobnicate");
        CliRunner.Result action = CLI.run("sessions", "frobnicate");

        assertThat(command.code()).isEqualTo(2);
        assertThat(command.err()).contains("unknown command 'frobnicate'").contains("see 'inbox-relay --help'");
        assertThat(action.code()).isEqualTo(2);
        assertThat(action.err()).contains("unknown sessions action 'frobnicate'").contains("see 'inbox-relay sessions --help'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"token", "status", "tail"})
    void a_missing_required_option_is_a_usage_error_of_that_command(String command) {
        CliRunner.Result result = CLI.run(command);

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("inbox-relay " + command + ": --tenant is required\nsee 'inbox-relay " + command + " --help'\n");
    }

    @Test
    void an_option_without_its_value_says_so() {
        CliRunner.Result result = CLI.run("sessions", "add", "--tenant");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).startsWith("inbox-relay sessions add: option --tenant needs a value");
    }

    @Test
    void token_prints_the_token_alone_and_with_json_an_object() {
        CliRunner.Result plain = CLI.run("token", "--tenant", "acme", "--user", "agent-1", "--ttl", "60");
        CliRunner.Result json = CLI.run("token", "--tenant", "acme", "--json");

        assertThat(plain.code()).isZero();
        assertThat(plain.lines()).hasSize(1);
        assertThat(JwtTokenVerifier.fromSettings("cli-test-secret-cli-test-secret-0123456789", null, null, null, "tenant_id")
                .verify(plain.out().trim()).tenantId()).isEqualTo("acme");
        JsonNode parsed = Json.parse(json.out());
        assertThat(parsed.path("tenant_id").asText()).isEqualTo("acme");
        assertThat(parsed.path("token").asText()).contains(".");
        assertThat(plain.err() + json.err()).isEmpty();
    }

    @Test
    void sessions_json_is_todays_json_lines_and_the_secret_is_shown_only_when_made() {
        CliRunner.Result added = CLI.run("sessions", "add", "--tenant", "json-co", "--provider", "waha", "--json", "--dynamo-port", port());
        JsonNode session = Json.parse(added.out());
        String id = session.path("session_id").asText();
        String secret = session.path("secret").asText();

        assertThat(added.code()).isZero();
        assertThat(added.lines()).hasSize(1);
        assertThat(session.path("tenant_id").asText()).isEqualTo("json-co");
        assertThat(session.path("provider").asText()).isEqualTo("waha");
        assertThat(session.path("signature").asText()).isEqualTo("waha-hmac-sha512");
        assertThat(session.path("webhook_path").asText()).isEqualTo("/webhooks/" + id);
        assertThat(session.path("secret_note").asText()).startsWith("shown once");
        assertThat(secret).isNotBlank();

        CliRunner.Result listed = CLI.run("sessions", "list", "--tenant", "json-co", "--json", "--dynamo-port", port());
        assertThat(listed.lines()).hasSize(1);
        JsonNode line = Json.parse(listed.lines().get(0));
        assertThat(line.path("session_id").asText()).isEqualTo(id);
        assertThat(line.has("secret")).isFalse();
        assertThat(line.has("last_rejection")).isTrue();
        assertThat(listed.out()).doesNotContain(secret);

        CliRunner.Result table = CLI.run("sessions", "list", "--tenant", "json-co", "--dynamo-port", port());
        assertThat(table.lines().get(0)).startsWith("SESSION").contains("PROVIDER", "ENABLED", "LAST REJECTION");
        assertThat(table.lines().get(1)).startsWith(id).contains("waha", "yes", "never");
        assertThat(table.out()).doesNotContain(secret);

        CliRunner.Result disabled = CLI.run("sessions", "disable", "--session", id, "--json", "--dynamo-port", port());
        assertThat(Json.parse(disabled.out()).path("enabled").asBoolean()).isFalse();
        assertThat(disabled.out()).doesNotContain(secret);
        CliRunner.Result enabled = CLI.run("sessions", "enable", "--session", id, "--dynamo-port", port());
        assertThat(enabled.out()).isEqualTo("session " + id + " enabled\n");

        CliRunner.Result rotated = CLI.run("sessions", "rotate", "--session", id, "--dynamo-port", port());
        assertThat(rotated.code()).isZero();
        assertThat(rotated.out()).contains("rotated session " + id, "secret", "shown once").doesNotContain(secret);

        assertThat(added.err() + listed.err() + table.err() + disabled.err() + enabled.err() + rotated.err()).isEmpty();
    }

    @Test
    void sessions_add_prints_a_readable_summary_with_the_secret_once() {
        CliRunner.Result added = CLI.run("sessions", "add", "--tenant", "human-co", "--session", "hub-human", "--secret",
                "a-secret-of-my-own-0123456789abcdefghij", "--signature", "hmac-sha256-body", "--dynamo-port", port());

        assertThat(added.code()).isZero();
        assertThat(added.out()).startsWith("created session hub-human for tenant human-co (inboxhub, hmac-sha256-body)")
                .contains("/webhooks/hub-human", "a-secret-of-my-own-0123456789abcdefghij", "shown once");
    }

    @Test
    void a_chosen_secret_comes_from_standard_input_or_the_environment_and_on_the_command_line_is_warned_about() {
        String fromStdin = "a-secret-read-from-standard-input-0123456789";
        CliRunner.Result piped = CLI.runWith(fromStdin + "\n", Map.of(), "sessions", "add", "--tenant", "stdin-co", "--session",
                "hub-stdin", "--secret", "-", "--json", "--dynamo-port", port());
        assertThat(piped.code()).isZero();
        assertThat(Json.parse(piped.out()).path("secret").asText()).isEqualTo(fromStdin);
        assertThat(piped.err()).isEmpty();

        String fromEnv = "a-secret-read-from-the-environment-0123456789";
        CliRunner.Result env = CLI.runWith("", Map.of("HUB_SECRET", fromEnv), "sessions", "rotate", "--session", "hub-stdin",
                "--secret-env", "HUB_SECRET", "--json", "--dynamo-port", port());
        assertThat(env.code()).isZero();
        assertThat(Json.parse(env.out()).path("secret").asText()).isEqualTo(fromEnv);

        CliRunner.Result unset = CLI.runWith("", Map.of(), "sessions", "rotate", "--session", "hub-stdin", "--secret-env", "NOPE",
                "--dynamo-port", port());
        assertThat(unset.code()).isEqualTo(2);
        assertThat(unset.err()).contains("NOPE is not set");

        CliRunner.Result inline = CLI.run("sessions", "rotate", "--session", "hub-stdin", "--secret",
                "an-inline-secret-of-my-own-0123456789", "--dynamo-port", port());
        assertThat(inline.code()).isZero();
        assertThat(inline.err()).contains("warning: a secret on the command line");
    }

    @Test
    void a_weak_secret_is_refused_with_the_reason_and_nothing_is_created() {
        CliRunner.Result weak = CLI.run("sessions", "add", "--tenant", "weak-co", "--session", "hub-weak", "--secret", "short-secret",
                "--dynamo-port", port());

        assertThat(weak.code()).isEqualTo(2);
        assertThat(weak.err()).contains("at least 32 bytes (got 12)");
        assertThat(CLI.run("sessions", "list", "--tenant", "weak-co", "--dynamo-port", port()).out())
                .isEqualTo("no sessions for tenant weak-co\n");
    }

    @Test
    void rotate_with_revoke_previous_leaves_only_the_new_secret() {
        CLI.run("sessions", "add", "--tenant", "leak-co", "--session", "hub-leak", "--dynamo-port", port());
        CliRunner.Result rotated = CLI.run("sessions", "rotate", "--session", "hub-leak", "--revoke-previous", "--json",
                "--dynamo-port", port());

        assertThat(rotated.code()).isZero();
        String fresh = Json.parse(rotated.out()).path("secret").asText();
        assertThat(new io.inboxrelay.store.DynamoSessionRegistry(dynamo.client(), "SessionsTable").find("hub-leak").orElseThrow()
                .secrets()).containsExactly(fresh);
    }

    @Test
    void sessions_action_defaults_to_list_as_before() {
        CliRunner.Result listed = CLI.run("sessions", "--tenant", "nobody-co", "--dynamo-port", port());

        assertThat(listed.code()).isZero();
        assertThat(listed.out()).isEqualTo("no sessions for tenant nobody-co\n");
    }

    @Test
    void an_unknown_session_is_a_failure_not_a_usage_error() {
        CliRunner.Result result = CLI.run("sessions", "disable", "--session", "no-such-session", "--dynamo-port", port());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("inbox-relay sessions disable: no session 'no-such-session'\n");
    }

    @Test
    void a_stack_that_is_not_running_is_a_failure_with_a_hint() {
        String closed = String.valueOf(LocalDynamo.freePort());
        CliRunner.Result sessions = CLI.run("sessions", "list", "--dynamo-port", closed);
        CliRunner.Result status = CLI.run("status", "--tenant", "x", "--dynamo-port", closed);

        assertThat(sessions.code()).isEqualTo(1);
        assertThat(sessions.err()).contains("cannot reach DynamoDB Local at http://127.0.0.1:" + closed, "is the local stack running?");
        assertThat(status.code()).isEqualTo(1);
        assertThat(status.err()).contains("cannot reach DynamoDB Local");
    }

    @Test
    void an_invalid_value_is_a_usage_error_of_the_command() {
        CliRunner.Result provider = CLI.run("sessions", "add", "--tenant", "x", "--provider", "telegram", "--dynamo-port", port());
        CliRunner.Result ttl = CLI.run("token", "--tenant", "x", "--ttl", "soon");

        assertThat(provider.code()).isEqualTo(2);
        assertThat(provider.err()).startsWith("inbox-relay sessions add: ").contains("see 'inbox-relay sessions add --help'");
        assertThat(ttl.code()).isEqualTo(2);
        assertThat(ttl.err()).startsWith("inbox-relay token: --ttl must be a number");
    }
}
