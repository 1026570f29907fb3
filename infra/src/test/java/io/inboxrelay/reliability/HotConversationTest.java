package io.inboxrelay.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.event.Envelopes;
import io.inboxrelay.local.LocalStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What real traffic does to one conversation, through the whole local stack: a burst from many
 * concurrent deliveries into the same chat (a lead pasting lines, a phone replaying its backlog),
 * and a text too long for one API Gateway message.
 */
class HotConversationTest {

    private static final int SENDERS = 16;
    private static final int MESSAGES_PER_SENDER = 10;

    private static LocalStack stack;
    private static ExecutorService http;

    @BeforeAll
    static void start() {
        stack = ReliabilityStack.start();
        http = Executors.newFixedThreadPool(SENDERS * 2);
    }

    @AfterAll
    static void stop() {
        http.shutdownNow();
        stack.close();
    }

    @Test
    void a_burst_of_concurrent_messages_into_one_conversation_is_stored_once_each_pushed_once_with_an_exact_unread_count()
            throws Exception {
        GatewaySession session = GatewaySession.register(ReliabilityStack.registry(stack), "t-hot", Provider.INBOX_HUB);
        Browser browser = browser(session.tenantId(), "agent-hot").connect();
        Gateway gateway = new Gateway(URI(), http, 1); // one attempt: any 5xx stays visible

        int total = SENDERS * MESSAGES_PER_SENDER;
        List<CompletableFuture<Gateway.Answer>> answers = new ArrayList<>();
        for (int sender = 0; sender < SENDERS; sender++) {
            int first = sender * MESSAGES_PER_SENDER;
            answers.add(CompletableFuture.supplyAsync(() -> null, http).thenCompose(ignored -> sequence(gateway, session, first)));
        }
        List<Gateway.Answer> all = new ArrayList<>();
        for (CompletableFuture<Gateway.Answer> chain : answers) {
            chain.join();
        }
        all.addAll(results);

        assertThat(all).hasSize(total * 2);
        assertThat(all).allSatisfy(answer -> assertThat(answer.status()).as("answer %s", answer).isEqualTo(200));
        assertThat(all.stream().filter(a -> a.outcome().equals("stored")).count()).isEqualTo(total);
        assertThat(all.stream().filter(a -> a.outcome().equals("duplicate")).count()).isEqualTo(total);

        await().atMost(Duration.ofSeconds(60)).until(() -> browser.count("new_message") == total);
        Map<String, AttributeValue> conversation = onlyConversation(session.tenantId());
        assertThat(conversation.get("unreadCount").n()).isEqualTo(Integer.toString(total));
        assertThat(conversation.get("version").n()).isEqualTo(Integer.toString(total));
        // The newest conversation state the browser holds (clients keep the highest version) is exact too.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode newest = browser.kept.stream().filter(e -> e.path("type").asText().equals("conversation_updated"))
                    .max(Comparator.comparingLong(e -> e.path("version").asLong())).orElseThrow();
            assertThat(newest.path("version").asLong()).isEqualTo(total);
            assertThat(newest.path("unread_count").asLong()).isEqualTo(total);
        });
        assertThat(ReliabilityStack.storedMessages(stack).get(session.tenantId())).hasSize(total).allSatisfy((id, copies) ->
                assertThat(copies).isEqualTo(1));
        assertThat(browser.foreign.get()).isZero();
        browser.close();
    }

    private final List<Gateway.Answer> results = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** One sender: its messages one after another, each delivered twice at the same moment (a gateway's retry racing). */
    private CompletableFuture<Gateway.Answer> sequence(Gateway gateway, GatewaySession session, int first) {
        CompletableFuture<Gateway.Answer> chain = CompletableFuture.completedFuture(null);
        for (int n = first; n < first + MESSAGES_PER_SENDER; n++) {
            int number = n;
            chain = chain.thenCompose(previous -> {
                Instant at = Instant.now();
                byte[] body = session.message(number, 1, at);
                Map<String, String> headers = session.sign(body, at);
                CompletableFuture<Gateway.Answer> once = gateway.post(session.sessionId(), body, headers);
                CompletableFuture<Gateway.Answer> twice = gateway.post(session.sessionId(), body, headers);
                return once.thenCombine(twice, (a, b) -> {
                    results.add(a);
                    results.add(b);
                    return b;
                });
            });
        }
        return chain;
    }

    @Test
    void a_text_over_128_kb_reaches_the_browser_as_a_preview_and_the_messages_after_it_arrive_live_and_on_resume() throws Exception {
        GatewaySession session = GatewaySession.register(ReliabilityStack.registry(stack), "t-long", Provider.INBOX_HUB);
        Browser live = browser(session.tenantId(), "agent-live").connect();
        String before = String.format("%013d-0000000000", System.currentTimeMillis());
        Gateway gateway = new Gateway(URI(), http, 3);

        String longText = "ç".repeat(65_536); // 131,072 bytes of UTF-8: past API Gateway's 128 KB message limit
        assertThat(post(gateway, session, "LONG1", longText).status()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            assertThat(post(gateway, session, "AFTER" + i, "short " + i).status()).isEqualTo(200);
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> live.count("new_message") == 4);
        JsonNode pushed = live.kept.stream().filter(e -> e.path("message").path("id").asText().equals("LONG1")).findFirst().orElseThrow();
        assertThat(pushed.path("message").path("truncated").asBoolean()).isTrue();
        assertThat(pushed.path("message").path("content").asText()).hasSize(Envelopes.PUSHED_TEXT_CHARS);
        assertThat(pushed.toString().getBytes(StandardCharsets.UTF_8).length).isLessThan(32 * 1024);
        // The read API's record keeps the whole text.
        assertThat(stack.dynamo().client().getItem(r -> r.tableName("MessagesTable").consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(session.tenantId() + "#LONG1")))).item().get("text").s()).isEqualTo(longText);

        Browser later = browser(session.tenantId(), "agent-later").connect();
        later.resumeFrom(before);
        JsonNode terminal = later.nextReply("resumed", Duration.ofSeconds(30));
        assertThat(terminal).as("a resume always ends with a terminal answer").isNotNull();
        assertThat(terminal.path("complete").asBoolean()).isTrue();
        assertThat(later.count("new_message")).isEqualTo(4);
        live.close();
        later.close();
    }

    private static Gateway.Answer post(Gateway gateway, GatewaySession session, String id, String text) {
        Instant at = Instant.now();
        String json = "{\"event\":\"message.received\",\"session\":\"" + session.sessionId() + "\",\"timestamp\":" + at.getEpochSecond()
                + ",\"message\":{\"id\":\"" + id + "\",\"from\":\"+573001234567\",\"fromMe\":false,\"name\":\"Lead\",\"text\":"
                + Json.write(Json.MAPPER.getNodeFactory().textNode(text)) + ",\"timestamp\":" + at.getEpochSecond() + "}}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return gateway.postAndWait(session.sessionId(), body, session.sign(body, at));
    }

    private static Browser browser(String tenant, String user) {
        return new Browser(tenant, user, () -> ReliabilityStack.socketUrl(stack, ReliabilityStack.token(tenant, user)));
    }

    private static java.net.URI URI() {
        return stack.httpUrl();
    }

    private static Map<String, AttributeValue> onlyConversation(String tenant) {
        var items = stack.dynamo().client().query(r -> r.tableName("ConversationsTable").consistentRead(true)
                .keyConditionExpression("tenantId = :t").expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenant)))).items();
        assertThat(items).hasSize(1);
        return items.get(0);
    }
}
