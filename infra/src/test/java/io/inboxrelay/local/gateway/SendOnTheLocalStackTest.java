package io.inboxrelay.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.admin.SessionAdmin;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.Direction;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.MessageStatus;
import io.inboxrelay.core.Party;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.auth.TokenMinter;
import io.inboxrelay.local.LocalStack;
import io.inboxrelay.local.TestSocket;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.store.DynamoInboxStore;
import io.inboxrelay.store.DynamoSessionRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 14's send path end to end, on the repository's template: the send endpoint (SendFunction), the FIFO outbox
 * (the local SQS endpoint), the sender (SenderFunction) calling the simulated gateway with the real clients, and the
 * gateway's signed echo and receipts coming back through the webhook route into the same one message.
 */
class SendOnTheLocalStackTest {

    static final String JWT = "send-local-stack-secret-0123456789abcdef";
    static final String LEAD = "+5511987654321";
    static final String LEAD_ID = "5511987654321";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalStack stack;
    private static GatewaySimulator simulator;
    private static SessionAdmin admin;
    private static DynamoInboxStore inbox;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(SamTemplate.fromRepository(), LocalStack.Options.ephemeral(JWT));
        admin = new SessionAdmin(new DynamoSessionRegistry(stack.dynamo().client(), "SessionsTable"), Clock.systemUTC());
        inbox = new DynamoInboxStore(stack.dynamo().client(), Config.fromEnv(), Clock.systemUTC());
        simulator = GatewaySimulator.start(0, GatewaySimulator.Options.defaults().withReceiptDelay(Duration.ofMillis(100)));
    }

    @AfterAll
    static void stop() {
        simulator.close();
        stack.close();
    }

    /** A tenant's session on the stack with (or without) gateway credentials, and its simulated gateway session. */
    record Wired(String tenant, Session session, String gatewaySession) {
    }

    static Wired wire(LocalStack on, SessionAdmin sessions, GatewaySimulator gateway, Provider provider, boolean credentials) {
        String tenant = "t-" + UUID.randomUUID();
        // Unique per test, so a late receipt of an earlier test never lands in this one.
        String gatewaySession = provider == Provider.META
                ? Long.toString(100_000_000_000_000L + ThreadLocalRandom.current().nextLong(899_999_999_999_999L))
                : provider.wireName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        SessionAdmin.Created created = sessions.create(new SessionAdmin.NewSession(tenant, null, provider.wireName(), null, null,
                provider == Provider.META ? "verify-" + UUID.randomUUID() : null, null));
        String sessionId = created.session().sessionId();
        gateway.registerSession(provider, gatewaySession, on.httpUrl() + "/webhooks/" + sessionId, created.secret(),
                SignatureKind.defaultFor(provider));
        if (credentials) {
            sessions.setGateway(sessionId, gateway.baseUrl(provider).toString(), gateway.apiKey(), gatewaySession, null);
        }
        return new Wired(tenant, sessions.get(sessionId), gatewaySession);
    }

    /** The lead writes first (stored as the webhook stores it): the conversation exists, unread, with its session. */
    static String leadWrites(DynamoInboxStore store, Wired wired, String phone, String providerMessageId) {
        String contactId = phone.substring(1);
        String bare = providerMessageId.substring(providerMessageId.lastIndexOf('_') + 1);
        store.storeMessage(wired.session(), new InboundMessage(bare, providerMessageId, Direction.LEAD, contactId, false,
                new Party(contactId, phone, contactId + "@s.whatsapp.net", "Ana"), "Oi, tudo bem?", null, Instant.now(),
                MessageStatus.DELIVERED));
        return contactId;
    }

    static String token(String tenant) {
        return new TokenMinter(JWT).mint(tenant, "agent-1", Duration.ofMinutes(10));
    }

    static HttpResponse<String> send(LocalStack on, String tenant, String conversationId, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(on.httpUrl() + "/api/conversations/" + conversationId + "/messages"))
                .header("Authorization", "Bearer " + token(tenant)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> markRead(LocalStack on, String tenant, String conversationId) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(on.httpUrl() + "/api/conversations/" + conversationId + "/read"))
                .header("Authorization", "Bearer " + token(tenant)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String reply(String clientId, String text) {
        return Json.write(Json.object().put("client_id", clientId).put("text", text));
    }

    /** The tenant's stored messages (not aliases, not in-flight marks, not receipt stubs). */
    static List<Map<String, AttributeValue>> storedMessages(LocalStack on, String tenant) {
        return on.dynamo().client().scanPaginator(r -> r.tableName("MessagesTable").consistentRead(true)).items().stream()
                .filter(item -> item.get("pk").s().startsWith(tenant + "#") && item.containsKey("storedAt"))
                .toList();
    }

    static Map<String, AttributeValue> stored(LocalStack on, String tenant, String messageId) {
        return on.dynamo().client().getItem(r -> r.tableName("MessagesTable").consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(tenant + "#" + messageId)))).item();
    }

    static String status(LocalStack on, String tenant, String messageId) {
        Map<String, AttributeValue> item = stored(on, tenant, messageId);
        return item == null || !item.containsKey("status") ? null : item.get("status").s();
    }

    static void await(String what, BooleanSupplier condition) {
        await(what, Duration.ofSeconds(30), condition);
    }

    static void await(String what, Duration within, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(within);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as(what).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    /** Every event the socket received until {@code done} holds for them (or the deadline passes). */
    static List<JsonNode> eventsUntil(TestSocket socket, java.util.function.Predicate<List<JsonNode>> done) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        Instant deadline = Instant.now().plusSeconds(30);
        while (!done.test(events) && Instant.now().isBefore(deadline)) {
            String frame = socket.next(Duration.ofMillis(200));
            if (frame != null) {
                events.add(Json.parse(frame));
            }
        }
        return events;
    }

    static List<String> statusesOf(List<JsonNode> events, String messageId) {
        return events.stream().filter(e -> e.path("type").asText().equals("message_status") && e.path("message_id").asText().equals(messageId))
                .map(e -> e.path("status").asText()).toList();
    }

    private static TestSocket browser(String tenant) throws Exception {
        return TestSocket.connect(URI.create(stack.webSocketUrl() + "?token=" + token(tenant)));
    }

    static boolean isSend(RecordedCall call, Provider provider, String gatewaySession) {
        return switch (provider) {
            case EVOLUTION -> call.path().startsWith("/message/send") && call.path().endsWith("/" + gatewaySession);
            case WAHA -> call.path().startsWith("/api/send") && !call.path().equals("/api/sendSeen")
                    && call.body().contains("\"" + gatewaySession + "\"");
            case META -> call.path().endsWith("/" + gatewaySession + "/messages") && !call.body().contains("\"status\":\"read\"");
            case INBOX_HUB -> call.path().equals("/api/sessions/" + gatewaySession + "/messages");
        };
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void a_reply_is_accepted_pending_pushed_once_with_its_client_id_then_sent_delivered_read_and_stored_as_one_message(Provider provider)
            throws Exception {
        Wired wired = wire(stack, admin, simulator, provider, true);
        String conversation = leadWrites(inbox, wired, LEAD, "lead-" + UUID.randomUUID());
        String clientId = UUID.randomUUID().toString();
        String messageId = "out-" + clientId;
        try (TestSocket agent = browser(wired.tenant())) {
            HttpResponse<String> answer = send(stack, wired.tenant(), conversation, reply(clientId, "Olá Ana, seu pedido saiu hoje."));

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            JsonNode message = Json.parse(answer.body()).path("message");
            assertThat(message.path("id").asText()).isEqualTo(messageId);
            assertThat(message.path("status").asText()).isEqualTo("pending");
            assertThat(message.path("client_id").asText()).isEqualTo(clientId);
            assertThat(message.path("sender").asText()).isEqualTo("agent");
            assertThat(message.path("content").asText()).isEqualTo("Olá Ana, seu pedido saiu hoje.");

            List<JsonNode> events = eventsUntil(agent, seen -> statusesOf(seen, messageId).contains("read"));
            List<JsonNode> pushed = events.stream().filter(e -> e.path("type").asText().equals("new_message")
                    && e.path("message").path("id").asText().equals(messageId)).toList();
            assertThat(pushed).singleElement().satisfies(e -> {
                assertThat(e.path("message").path("client_id").asText()).isEqualTo(clientId);
                assertThat(e.path("message").path("status").asText()).isEqualTo("pending");
                assertThat(e.path("message").path("sender").asText()).isEqualTo("agent");
            });
            assertThat(statusesOf(events, messageId)).containsSubsequence("sent", "delivered", "read");
            // The echo (Evolution, WAHA, Inbox Hub) became this message's status, never a message of its own.
            assertThat(events).filteredOn(e -> e.path("type").asText().equals("new_message") && e.path("message").path("sender").asText().equals("agent"))
                    .hasSize(1);
        }
        await("the stored reply is read", () -> "read".equals(status(stack, wired.tenant(), messageId)));
        List<Map<String, AttributeValue>> agentMessages = storedMessages(stack, wired.tenant()).stream()
                .filter(item -> item.get("direction").s().equals("agent")).toList();
        assertThat(agentMessages).singleElement().satisfies(item -> {
            assertThat(item.get("messageId").s()).isEqualTo(messageId);
            assertThat(item.get("clientId").s()).isEqualTo(clientId);
            assertThat(item.get("providerMessageId").s()).isNotBlank();
            assertThat(item).containsKey("enqueuedAt");
        });
        assertThat(simulator.calls()).filteredOn(call -> isSend(call, provider, wired.gatewaySession())).singleElement()
                .satisfies(call -> assertThat(call.status() / 100).isEqualTo(2));
    }

    @Test
    void the_same_client_id_twice_is_one_message_and_one_gateway_send_and_both_answers_are_202() throws Exception {
        Wired wired = wire(stack, admin, simulator, Provider.INBOX_HUB, true);
        String conversation = leadWrites(inbox, wired, LEAD, "lead-" + UUID.randomUUID());
        String clientId = UUID.randomUUID().toString();

        HttpResponse<String> first = send(stack, wired.tenant(), conversation, reply(clientId, "Chegou?"));
        HttpResponse<String> second = send(stack, wired.tenant(), conversation, reply(clientId, "Chegou?"));
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(Json.parse(second.body()).path("message").path("id").asText()).isEqualTo("out-" + clientId);

        await("the reply is read", () -> "read".equals(status(stack, wired.tenant(), "out-" + clientId)));
        HttpResponse<String> later = send(stack, wired.tenant(), conversation, reply(clientId, "Chegou?"));
        assertThat(later.statusCode()).isEqualTo(202);
        assertThat(Json.parse(later.body()).path("message").path("status").asText()).as("the stored message as it is now").isEqualTo("read");
        assertThat(storedMessages(stack, wired.tenant())).filteredOn(item -> item.get("direction").s().equals("agent")).hasSize(1);
        assertThat(simulator.calls()).filteredOn(call -> isSend(call, Provider.INBOX_HUB, wired.gatewaySession())).hasSize(1);
    }

    @Test
    void a_client_id_reused_for_other_text_is_refused_409_and_changes_nothing() throws Exception {
        Wired wired = wire(stack, admin, simulator, Provider.INBOX_HUB, true);
        String conversation = leadWrites(inbox, wired, LEAD, "lead-" + UUID.randomUUID());
        String clientId = UUID.randomUUID().toString();
        assertThat(send(stack, wired.tenant(), conversation, reply(clientId, "first")).statusCode()).isEqualTo(202);

        HttpResponse<String> reused = send(stack, wired.tenant(), conversation, reply(clientId, "second"));

        assertThat(reused.statusCode()).isEqualTo(409);
        assertThat(Json.parse(reused.body()).path("error").asText()).isEqualTo("client_id_reused");
        assertThat(stored(stack, wired.tenant(), "out-" + clientId).get("text").s()).isEqualTo("first");
    }

    @Test
    void a_session_without_gateway_credentials_answers_409_not_sendable_with_the_command_and_stores_nothing() throws Exception {
        Wired wired = wire(stack, admin, simulator, Provider.EVOLUTION, false);
        String conversation = leadWrites(inbox, wired, LEAD, "lead-" + UUID.randomUUID());

        HttpResponse<String> answer = send(stack, wired.tenant(), conversation, reply(UUID.randomUUID().toString(), "Olá"));

        assertThat(answer.statusCode()).isEqualTo(409);
        JsonNode body = Json.parse(answer.body());
        assertThat(body.path("error").asText()).isEqualTo("not_sendable");
        assertThat(body.path("message").asText()).contains("session " + wired.session().sessionId() + " has no gateway credentials")
                .contains("inbox-relay sessions credentials --session " + wired.session().sessionId());
        assertThat(storedMessages(stack, wired.tenant())).filteredOn(item -> item.get("direction").s().equals("agent")).isEmpty();
    }

    @Test
    void an_unknown_or_foreign_conversation_is_404_and_a_bad_body_400_and_no_token_401() throws Exception {
        Wired wired = wire(stack, admin, simulator, Provider.WAHA, true);
        String conversation = leadWrites(inbox, wired, LEAD, "lead-" + UUID.randomUUID());

        HttpResponse<String> foreign = send(stack, "another-tenant", conversation, reply(UUID.randomUUID().toString(), "hi"));
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(Json.parse(foreign.body()).path("error").asText()).isEqualTo("not_found");

        HttpResponse<String> blank = send(stack, wired.tenant(), conversation, reply(UUID.randomUUID().toString(), "   "));
        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(Json.parse(blank.body()).path("error").asText()).isEqualTo("invalid_request");
        assertThat(Json.parse(blank.body()).path("message").asText()).contains("text is blank");

        HttpResponse<String> shortId = send(stack, wired.tenant(), conversation, reply("abc", "hi"));
        assertThat(shortId.statusCode()).isEqualTo(400);
        assertThat(Json.parse(shortId.body()).path("message").asText()).contains("client_id");

        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(stack.httpUrl() + "/api/conversations/" + conversation
                + "/messages")).POST(HttpRequest.BodyPublishers.ofString(reply(UUID.randomUUID().toString(), "hi"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(storedMessages(stack, wired.tenant())).filteredOn(item -> item.get("direction").s().equals("agent")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void marking_a_conversation_read_tells_the_gateway_which_of_the_leads_messages_were_read(Provider provider) throws Exception {
        Wired wired = wire(stack, admin, simulator, provider, true);
        String older = provider == Provider.WAHA ? "false_" + LEAD_ID + "@c.us_3EB0OLDER" + UUID.randomUUID().toString().substring(0, 6)
                : "OLDER" + UUID.randomUUID().toString().substring(0, 8);
        String newer = provider == Provider.WAHA ? "false_" + LEAD_ID + "@c.us_3EB0NEWER" + UUID.randomUUID().toString().substring(0, 6)
                : "NEWER" + UUID.randomUUID().toString().substring(0, 8);
        leadWrites(inbox, wired, LEAD, older);
        LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        String conversation = leadWrites(inbox, wired, LEAD, newer);

        HttpResponse<String> answer = markRead(stack, wired.tenant(), conversation);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(Json.parse(answer.body()).path("unread_count").asInt()).isZero();
        String line = switch (provider) {
            case EVOLUTION -> "POST /chat/markMessageAsRead/" + wired.gatewaySession();
            case WAHA -> "POST /api/sendSeen";
            case META -> "POST /v23.0/" + wired.gatewaySession() + "/messages";
            case INBOX_HUB -> "POST /api/sessions/" + wired.gatewaySession() + "/read";
        };
        await("the gateway was told", () -> simulator.calls().stream().anyMatch(call -> call.line().equals(line) && call.body().contains(newer)));
        RecordedCall read = simulator.calls().stream().filter(call -> call.line().equals(line) && call.body().contains(newer)).findFirst().orElseThrow();
        assertThat(read.status() / 100).isEqualTo(2);
        if (provider != Provider.META) {
            // Meta marks the newest and, with it, every earlier message; the others are told each id.
            assertThat(read.body()).contains(older);
        }
    }
    // ------------------------------------------------------------------ failures (the simulator's scripted numbers)

    /** Sends one reply to {@code phone} and returns every event until the reply settles as {@code until}. */
    private static List<JsonNode> sendAndWatch(Wired wired, String phone, String messageText, String until, String clientId) throws Exception {
        String conversation = leadWrites(inbox, wired, phone, "lead-" + UUID.randomUUID());
        try (TestSocket agent = browser(wired.tenant())) {
            HttpResponse<String> answer = send(stack, wired.tenant(), conversation, reply(clientId, messageText));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            return eventsUntil(agent, seen -> statusesOf(seen, "out-" + clientId).contains(until));
        }
    }

    private static JsonNode failedEvent(List<JsonNode> events, String messageId) {
        return events.stream().filter(e -> e.path("type").asText().equals("message_status") && e.path("message_id").asText().equals(messageId)
                && e.path("status").asText().equals("failed")).findFirst().orElseThrow(() -> new AssertionError("no failed status in " + events));
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void a_number_without_whatsapp_fails_the_reply_with_the_gateways_reason_and_is_never_retried(Provider provider) throws Exception {
        Wired wired = wire(stack, admin, simulator, provider, true);
        String clientId = UUID.randomUUID().toString();

        List<JsonNode> events = sendAndWatch(wired, "+5511987650000", "Olá", "failed", clientId);

        JsonNode failed = failedEvent(events, "out-" + clientId);
        assertThat(failed.path("code").asText()).isEqualTo("not_on_whatsapp");
        assertThat(failed.path("reason").asText()).isNotBlank();
        Map<String, AttributeValue> item = stored(stack, wired.tenant(), "out-" + clientId);
        assertThat(item.get("status").s()).isEqualTo("failed");
        assertThat(item.get("statusCode").s()).isEqualTo("not_on_whatsapp");
        assertThat(item.get("statusReason").s()).isEqualTo(failed.path("reason").asText());
        assertThat(item.get("sendAttempts").n()).as("the sender never tried again").isEqualTo("1");
        if (provider != Provider.WAHA) {
            // WAHA says so with a 500, which the client's own in-call retry of a 5xx repeats before it reads the body.
            assertThat(simulator.calls()).filteredOn(call -> isSend(call, provider, wired.gatewaySession())).hasSize(1);
        }
        JsonNode listed = Json.parse(HTTP.send(HttpRequest.newBuilder(URI.create(stack.httpUrl() + "/api/conversations/5511987650000/messages"))
                .header("Authorization", "Bearer " + token(wired.tenant())).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(listed.path("messages").get(0).path("status_code").asText()).isEqualTo("not_on_whatsapp");
        assertThat(listed.path("messages").get(0).path("status_reason").asText()).isEqualTo(failed.path("reason").asText());
        assertThat(listed.path("messages").get(0).path("client_id").asText()).isEqualTo(clientId);
    }

    @Test
    void meta_outside_the_24_hour_window_fails_the_reply_as_outside_window_with_metas_reason() throws Exception {
        Wired wired = wire(stack, admin, simulator, Provider.META, true);
        String clientId = UUID.randomUUID().toString();

        List<JsonNode> events = sendAndWatch(wired, "+5511987651047", "Olá", "failed", clientId);

        JsonNode failed = failedEvent(events, "out-" + clientId);
        assertThat(failed.path("code").asText()).isEqualTo("outside_window");
        assertThat(failed.path("reason").asText()).contains("24 hours");
        assertThat(stored(stack, wired.tenant(), "out-" + clientId).get("statusCode").s()).isEqualTo("outside_window");
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"EVOLUTION", "META"})
    void a_gateway_that_answers_429_is_tried_again_and_the_reply_is_sent_once(Provider provider) throws Exception {
        Wired wired = wire(stack, admin, simulator, provider, true);
        String clientId = UUID.randomUUID().toString();

        List<JsonNode> events = sendAndWatch(wired, "+5511987650429", "Olá", "read", clientId);

        assertThat(statusesOf(events, "out-" + clientId)).doesNotContain("failed").containsSubsequence("sent", "read");
        List<RecordedCall> sends = simulator.calls().stream().filter(call -> isSend(call, provider, wired.gatewaySession())).toList();
        assertThat(sends).extracting(RecordedCall::status).containsExactly(429, provider == Provider.EVOLUTION ? 201 : 200);
        assertThat(storedMessages(stack, wired.tenant())).filteredOn(item -> item.get("direction").s().equals("agent")).hasSize(1);
    }

    @Test
    void a_send_meta_never_answers_in_time_fails_as_timeout_and_is_never_sent_twice() throws Exception {
        Wired wired = wire(stack, admin, simulator, Provider.META, true);
        String clientId = UUID.randomUUID().toString();

        List<JsonNode> events = sendAndWatch(wired, "+5511987650408", "Olá", "failed", clientId);

        JsonNode failed = failedEvent(events, "out-" + clientId);
        assertThat(failed.path("code").asText()).isEqualTo("timeout");
        assertThat(failed.path("reason").asText()).isEqualTo("the gateway did not answer in time; the message may still have been sent");
        assertThat(simulator.calls()).filteredOn(call -> isSend(call, Provider.META, wired.gatewaySession())).hasSize(1);
    }

    @Test
    void a_send_whose_answer_is_late_but_whose_echo_came_is_sent_not_failed_and_stored_once() throws Exception {
        Wired wired = wire(stack, admin, simulator, Provider.INBOX_HUB, true);
        String clientId = UUID.randomUUID().toString();
        String messageId = "out-" + clientId;

        List<JsonNode> events = sendAndWatch(wired, "+5511987650408", "Olá, chegou?", "read", clientId);

        assertThat(statusesOf(events, messageId)).containsSubsequence("sent", "read");
        // The sender's own timeout comes later (its job leaves the outbox then) and must not undo what the echo proved.
        await("the sender finished the job", Duration.ofSeconds(40), () -> {
            io.inboxrelay.local.queue.LocalQueue.Counts counts = stack.queue("OutboxQueue").counts();
            return counts.visible() + counts.inFlight() + counts.delayed() == 0;
        });
        assertThat(status(stack, wired.tenant(), messageId)).isEqualTo("read");
        assertThat(storedMessages(stack, wired.tenant())).filteredOn(item -> item.get("direction").s().equals("agent")).hasSize(1);
        assertThat(simulator.calls()).filteredOn(call -> isSend(call, Provider.INBOX_HUB, wired.gatewaySession())).hasSize(1);
    }
    /** Meta posts no echo: with echo first, its {@code sent} status comes before the answer and waits for the claim. */
    @ParameterizedTest
    @EnumSource(Provider.class)
    void a_reply_whose_echo_comes_before_the_gateways_answer_is_still_one_message_sent_delivered_read(Provider provider) throws Exception {
        GatewaySimulator.Options before = simulator.options();
        simulator.options(before.withEchoFirst(true));
        try {
            Wired wired = wire(stack, admin, simulator, provider, true);
            String clientId = UUID.randomUUID().toString();

            List<JsonNode> events = sendAndWatch(wired, LEAD, "Echo primeiro", "read", clientId);

            assertThat(statusesOf(events, "out-" + clientId)).containsSubsequence("sent", "delivered", "read");
            // The lead's own message may be pushed to the socket too (the stream can be behind its connect): count the agent's.
            assertThat(events).filteredOn(e -> e.path("type").asText().equals("new_message") && e.path("message").path("sender").asText().equals("agent"))
                    .singleElement().satisfies(e -> assertThat(e.path("message").path("id").asText()).isEqualTo("out-" + clientId));
            assertThat(storedMessages(stack, wired.tenant())).filteredOn(item -> item.get("direction").s().equals("agent")).singleElement()
                    .satisfies(item -> assertThat(item.get("messageId").s()).isEqualTo("out-" + clientId));
        } finally {
            simulator.options(before);
        }
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void a_picture_with_a_caption_is_sent_as_media_the_gateway_downloads_and_stored_once_with_its_url(Provider provider) throws Exception {
        byte[] picture = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 7, 7, 7};
        com.sun.net.httpserver.HttpServer files = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getByName("127.0.0.1"), 0), 0);
        files.createContext("/house.png", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, picture.length);
            exchange.getResponseBody().write(picture);
            exchange.close();
        });
        files.start();
        try {
            Wired wired = wire(stack, admin, simulator, provider, true);
            String conversation = leadWrites(inbox, wired, LEAD, "lead-" + UUID.randomUUID());
            String clientId = UUID.randomUUID().toString();
            String url = "http://127.0.0.1:" + files.getAddress().getPort() + "/house.png";
            String body = Json.write(Json.object().put("client_id", clientId).put("text", "a casa").put("media_url", url)
                    .put("media_type", "image/png"));

            HttpResponse<String> answer = send(stack, wired.tenant(), conversation, body);

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            JsonNode message = Json.parse(answer.body()).path("message");
            assertThat(message.path("kind").asText()).isEqualTo("image");
            assertThat(message.path("media").path("url").asText()).isEqualTo(url);
            assertThat(message.path("media").path("caption").asText()).isEqualTo("a casa");
            await("the picture is sent", () -> {
                String now = status(stack, wired.tenant(), "out-" + clientId);
                return now != null && !now.equals("pending");
            });
            assertThat(status(stack, wired.tenant(), "out-" + clientId)).isIn("sent", "delivered", "read");
            String gatewayId = stored(stack, wired.tenant(), "out-" + clientId).get("providerMessageId").s();
            assertThat(simulator.media(gatewayId)).as("the gateway downloaded it").isPresent()
                    .hasValueSatisfying(media -> assertThat(media.bytes()).isEqualTo(picture));
            assertThat(storedMessages(stack, wired.tenant())).filteredOn(item -> item.get("direction").s().equals("agent")).hasSize(1);
        } finally {
            files.stop(0);
        }
    }
}
