package io.inboxrelay.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.auth.TokenMinter;
import io.inboxrelay.core.event.Cursors;
import io.inboxrelay.core.event.Envelopes;
import io.inboxrelay.local.LocalStack;
import io.inboxrelay.local.TestSocket;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.push.Replay;
import io.inboxrelay.store.EventItems;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code status} against the local stack running the repository's template: one tenant per verdict. */
class StatusCommandTest {

    private static final String SECRET = "status-test-secret-status-test-secret-0123456789";
    private static final CliRunner CLI = new CliRunner(Clock.systemUTC(), SECRET);
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(SamTemplate.fromRepository(), LocalStack.Options.ephemeral(SECRET));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static String port() {
        return String.valueOf(stack.dynamo().endpoint().getPort());
    }

    private static String tenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Registers a session through the tool; answers its id and secret. */
    private static String[] addSession(String tenant) {
        JsonNode added = Json.parse(CLI.run("sessions", "add", "--tenant", tenant, "--json", "--dynamo-port", port()).out());
        return new String[] {added.path("session_id").asText(), added.path("secret").asText()};
    }

    private static CliRunner.Result status(CliRunner cli, String tenant, String... more) {
        String[] args = new String[4 + more.length];
        args[0] = "status";
        args[1] = "--tenant";
        args[2] = tenant;
        args[3] = "--dynamo-port=" + port();
        System.arraycopy(more, 0, args, 4, more.length);
        CliRunner.Result result = cli.run(args);
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        return result;
    }

    private static JsonNode statusJson(String tenant) {
        return Json.parse(status(CLI, tenant, "--json").out());
    }

    private static String verdictLine(CliRunner.Result human) {
        return human.lines().stream().filter(line -> line.startsWith("verdict")).findFirst().orElseThrow()
                .substring("verdict".length()).strip();
    }

    @Test
    void a_tenant_without_sessions_is_told_no_session_feeds_it() {
        String tenant = tenant();

        CliRunner.Result human = status(CLI, tenant);
        JsonNode json = statusJson(tenant);

        assertThat(verdictLine(human)).isEqualTo("no session feeds this tenant");
        assertThat(human.out()).contains("sessions   none", "browsers   none connected", "last event none in the log");
        assertThat(json.path("verdict_code").asText()).isEqualTo("no_session");
        assertThat(json.path("ok").asBoolean()).isFalse();
        assertThat(json.path("sessions")).isEmpty();
        assertThat(json.path("connections").asInt()).isZero();
        assertThat(json.path("last_event").isNull()).isTrue();
        assertThat(json.path("given_up").path("count").asInt()).isZero();
    }

    @Test
    void a_tenant_whose_sessions_are_all_disabled_is_told_so() {
        String tenant = tenant();
        String session = addSession(tenant)[0];
        CLI.run("sessions", "disable", "--session", session, "--dynamo-port", port());

        assertThat(verdictLine(status(CLI, tenant))).startsWith("all sessions disabled");
        assertThat(statusJson(tenant).path("verdict_code").asText()).isEqualTo("all_disabled");
    }

    @Test
    void a_session_that_never_received_a_webhook_is_named() {
        String tenant = tenant();
        String session = addSession(tenant)[0];

        assertThat(verdictLine(status(CLI, tenant))).startsWith("session " + session + " has never sent a webhook");
        assertThat(statusJson(tenant).path("verdict_code").asText()).isEqualTo("never_sent");
    }

    @Test
    void badly_signed_webhooks_give_the_rejection_and_its_reason() throws Exception {
        String tenant = tenant();
        String[] session = addSession(tenant);
        assertThat(StackClient.post(stack, session[0], "an-old-secret", StackClient.message("refused"))).isEqualTo(401);

        CliRunner.Result human = status(CLI, tenant);
        JsonNode json = statusJson(tenant);

        assertThat(verdictLine(human)).startsWith("webhooks arrive but are rejected: bad_signature (session " + session[0]);
        assertThat(human.out()).contains("401 bad_signature ×1", "signature does not match");
        assertThat(json.path("verdict_code").asText()).isEqualTo("rejected");
        assertThat(json.path("sessions").get(0).path("last_rejection").isNull())
                .as("an unsigned request is counted apart from the session's health").isTrue();
        JsonNode refused = json.path("sessions").get(0).path("refusals").path("bad_signature");
        assertThat(refused.path("status").asInt()).isEqualTo(401);
        assertThat(refused.path("count").asInt()).isEqualTo(1);
        assertThat(refused.path("last_at").asText()).isNotBlank();
        assertThat(human.out() + json).doesNotContain(session[1]);
    }

    @Test
    void a_session_the_gateway_reports_disconnected_is_named_with_its_state() throws Exception {
        String tenant = tenant();
        String[] session = addSession(tenant);
        assertThat(StackClient.post(stack, session[0], session[1], StackClient.message("hello"))).isEqualTo(200);
        assertThat(StackClient.post(stack, session[0], session[1], StackClient.sessionDisconnected())).isEqualTo(200);

        assertThat(verdictLine(status(CLI, tenant))).isEqualTo("session " + session[0] + " is disconnected from WhatsApp (state disconnected)");
        JsonNode json = statusJson(tenant);
        assertThat(json.path("verdict_code").asText()).isEqualTo("disconnected");
        assertThat(json.path("sessions").get(0).path("state").asText()).isEqualTo("disconnected");
    }

    @Test
    void working_sessions_without_a_browser_mean_no_browser_connected_and_days_later_they_are_quiet() throws Exception {
        String tenant = tenant();
        String[] session = addSession(tenant);
        assertThat(StackClient.post(stack, session[0], session[1], StackClient.message("hello"))).isEqualTo(200);

        CliRunner.Result human = status(CLI, tenant);
        JsonNode json = statusJson(tenant);

        assertThat(verdictLine(human)).isEqualTo("no browser connected");
        assertThat(json.path("verdict_code").asText()).isEqualTo("no_browser");
        assertThat(json.path("last_event").path("type").asText()).isIn("new_message", "conversation_updated");
        assertThat(json.path("sessions").get(0).path("last_success_at").asText()).isNotBlank();
        assertThat(human.out()).contains("last event ");

        CliRunner threeDaysLater = CLI.at(Clock.offset(Clock.systemUTC(), Duration.ofDays(3)));
        assertThat(verdictLine(status(threeDaysLater, tenant))).isEqualTo("session " + session[0] + " last sent 3 days ago");
        assertThat(Json.parse(status(threeDaysLater, tenant, "--json").out()).path("verdict_code").asText()).isEqualTo("quiet");
    }

    @Test
    void everything_working_is_ok_and_the_status_route_says_the_same() throws Exception {
        String tenant = tenant();
        String[] session = addSession(tenant);
        assertThat(StackClient.post(stack, session[0], session[1], StackClient.message("hello"))).isEqualTo(200);
        String token = new TokenMinter(SECRET).mint(tenant, "agent-1", Duration.ofMinutes(5));
        try (TestSocket browser = TestSocket.connect(URI.create(stack.webSocketUrl() + "?token=" + token))) {
            browser.send("{\"type\":\"subscribe\",\"channels\":[\"messages\",\"sessions\"]}");
            JsonNode subscribed = next(browser, "subscribed");
            assertThat(subscribed).isNotNull();

            CliRunner.Result human = status(CLI, tenant);
            JsonNode json = statusJson(tenant);
            browser.send("{\"type\":\"status\"}");
            JsonNode route = next(browser, "status");

            assertThat(verdictLine(human)).startsWith("ok: 1 browser connected, session " + session[0] + " last sent");
            assertThat(human.out()).contains("browsers   1 connected (messages 1, sessions 1)");
            assertThat(json.path("verdict_code").asText()).isEqualTo("ok");
            assertThat(json.path("connections").asInt()).isEqualTo(1);
            assertThat(json.path("channels").path("messages").asInt()).isEqualTo(1);
            assertThat(json.path("channels").has("statuses")).isFalse();
            assertThat(route).isNotNull();
            assertThat(route.path("verdict_code").asText()).isEqualTo(json.path("verdict_code").asText());
            assertThat(route.path("connections").asInt()).isEqualTo(1);
            assertThat(route.path("verdict").asText()).startsWith("ok: 1 browser connected, session " + session[0] + " last sent");
        }
    }

    @Test
    void events_given_up_on_are_counted_from_the_log() throws Exception {
        String tenant = tenant();
        Instant now = Instant.now();
        stack.dynamo().client().putItem(EventItems.putRequest("EventsTable",
                Envelopes.resyncRequired(tenant, Cursors.next(now), Replay.DELIVERY_FAILED), now, Duration.ofDays(7)));

        CliRunner.Result human = status(CLI, tenant);
        JsonNode json = statusJson(tenant);

        assertThat(human.out()).contains("given up   1 delivery (resync_required, delivery_failed), last ");
        assertThat(json.path("given_up").path("count").asInt()).isEqualTo(1);
        assertThat(json.path("given_up").path("last_at").asText()).isNotBlank();
        assertThat(json.path("last_event").path("type").asText()).isEqualTo("resync_required");
    }

    private static JsonNode next(TestSocket socket, String type) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            String message = socket.next(Duration.ofMillis(200));
            if (message != null && type.equals(Json.parse(message).path("type").asText())) {
                return Json.parse(message);
            }
        }
        return null;
    }
}
