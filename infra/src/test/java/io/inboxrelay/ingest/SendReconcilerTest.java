package io.inboxrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.Direction;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Media;
import io.inboxrelay.core.MessageChange;
import io.inboxrelay.core.MessageKind;
import io.inboxrelay.core.MessageStatus;
import io.inboxrelay.core.Party;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.StatusUpdate;
import io.inboxrelay.core.ingest.InboxStore.StoreOutcome;
import io.inboxrelay.local.LocalDynamo;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.readapi.Message;
import io.inboxrelay.store.DynamoInboxStore;
import io.inboxrelay.store.EventItems;
import io.inboxrelay.store.InboxReader;
import io.inboxrelay.store.MessageItems;
import io.inboxrelay.store.SendReconciler;
import io.inboxrelay.store.SendReconciler.Claim;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A reply sent from the inbox is one message whichever the gateway tells first: the send's answer with its
 * id, or the echo webhook of the same message (docs/OUTBOUND.md "Echo reconciliation"). On DynamoDB Local.
 */
class SendReconcilerTest {

    private static final Instant T0 = Instant.parse("2026-03-02T14:00:00Z");
    private static final Party MARIA = new Party("5511987654321", "+5511987654321", "5511987654321@s.whatsapp.net", "Maria Souza");

    private static LocalDynamo dynamo;
    private static Config config;
    private static DynamoInboxStore store;
    private static SendReconciler replies;
    private static InboxReader reader;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.startInMemory().createTables(SamTemplate.fromRepository());
        config = Config.from(dynamo.environment());
        store = new DynamoInboxStore(dynamo.client(), config, Clock.systemUTC());
        replies = new SendReconciler(dynamo.client(), config, Clock.systemUTC());
        reader = new InboxReader(dynamo.client(), config, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    void the_answer_first_then_the_echo_is_one_message_marked_sent_with_the_gateways_id() {
        Session session = session(Provider.EVOLUTION);
        pendingReply(session, "out-a1", "Posso ajudar?");
        replies.markInFlight(session.tenantId(), MARIA.contactId(), "out-a1", SendReconciler.fingerprint("Posso ajudar?", null));

        assertThat(replies.claim(session, MARIA.contactId(), "out-a1", "3EB0A1")).isEqualTo(Claim.CLAIMED);
        assertThat(store.storeMessage(session, echo("3EB0A1", "Posso ajudar?", MessageStatus.SENT))).isEqualTo(StoreOutcome.DUPLICATE);

        List<Message> messages = messages(session);
        assertThat(messages).extracting(Message::id).containsExactly("out-a1");
        assertThat(messages.get(0).status()).isEqualTo("sent");
        assertThat(item(session, "out-a1").get(MessageItems.PROVIDER_MESSAGE_ID).s()).isEqualTo("3EB0A1");
        assertThat(statusEvents(session)).containsExactly("out-a1:sent");
        assertThat(item(session, "inflight#" + MARIA.contactId())).isEmpty();
    }

    @Test
    void the_echo_first_then_the_answer_is_one_message_and_the_answer_finds_its_claim() {
        Session session = session(Provider.INBOX_HUB);
        pendingReply(session, "out-b1", "Olá  Maria,\nbom dia ");
        replies.markInFlight(session.tenantId(), MARIA.contactId(), "out-b1", SendReconciler.fingerprint("Olá  Maria,\nbom dia ", null));

        // The gateway trims and the echo travels before the send's HTTP answer.
        assertThat(store.storeMessage(session, echo("HUB-77", "Olá Maria, bom dia", MessageStatus.SENT))).isEqualTo(StoreOutcome.DUPLICATE);
        assertThat(messages(session)).extracting(Message::id, Message::status).containsExactly(tuple("out-b1", "sent"));

        assertThat(replies.claim(session, MARIA.contactId(), "out-b1", "HUB-77")).isEqualTo(Claim.ALREADY_MINE);
        assertThat(messages(session)).extracting(Message::id).containsExactly("out-b1");
        assertThat(statusEvents(session)).containsExactly("out-b1:sent");
    }

    @Test
    void a_message_typed_on_the_phone_while_a_reply_is_in_flight_is_its_own_message() {
        Session session = session(Provider.EVOLUTION);
        pendingReply(session, "out-c1", "Vou verificar");
        replies.markInFlight(session.tenantId(), MARIA.contactId(), "out-c1", SendReconciler.fingerprint("Vou verificar", null));

        assertThat(store.storeMessage(session, echo("PHONE-1", "Já te ligo", MessageStatus.SENT))).isEqualTo(StoreOutcome.STORED);
        assertThat(replies.claim(session, MARIA.contactId(), "out-c1", "3EB0C1")).isEqualTo(Claim.CLAIMED);

        assertThat(messages(session)).extracting(Message::id, Message::status)
                .containsExactlyInAnyOrder(tuple("out-c1", "sent"), tuple("PHONE-1", "sent"));
    }

    @Test
    void wahas_serialized_answer_and_its_bare_echo_id_are_one_message() {
        Session session = session(Provider.WAHA);
        pendingReply(session, "out-d1", "Tudo certo");
        replies.claim(session, MARIA.contactId(), "out-d1", "true_5511987654321@c.us_3EB0D1");

        assertThat(store.storeMessage(session, echo("3EB0D1", "Tudo certo", MessageStatus.SENT))).isEqualTo(StoreOutcome.DUPLICATE);
        assertThat(store.storeStatus(session, new StatusUpdate("3EB0D1", MARIA.contactId(), MessageStatus.READ, null, T0.plusSeconds(9))))
                .isEqualTo(StoreOutcome.STORED);

        assertThat(messages(session)).extracting(Message::id, Message::status).containsExactly(tuple("out-d1", "read"));
        assertThat(statusEvents(session)).containsExactly("out-d1:sent", "out-d1:read");
    }

    @Test
    void a_receipt_that_comes_before_the_answer_waits_and_is_applied_when_the_reply_claims_its_id() {
        Session session = session(Provider.META);
        pendingReply(session, "out-e1", "Seu pedido saiu");
        // Meta's statuses may overtake the send's answer: there is nothing to attach "delivered" to yet.
        store.storeStatus(session, new StatusUpdate("wamid.E1", MARIA.contactId(), MessageStatus.DELIVERED, null, T0.plusSeconds(2)));
        assertThat(messages(session)).extracting(Message::status).containsExactly("pending");

        replies.claim(session, MARIA.contactId(), "out-e1", "wamid.E1");
        assertThat(messages(session)).extracting(Message::id, Message::status).containsExactly(tuple("out-e1", "delivered"));

        store.storeStatus(session, new StatusUpdate("wamid.E1", MARIA.contactId(), MessageStatus.SENT, null, T0.plusSeconds(1)));
        store.storeStatus(session, new StatusUpdate("wamid.E1", MARIA.contactId(), MessageStatus.READ, null, T0.plusSeconds(5)));
        assertThat(messages(session)).extracting(Message::id, Message::status).containsExactly(tuple("out-e1", "read"));
    }

    @Test
    void a_send_that_timed_out_becomes_sent_when_its_echo_arrives() {
        Session session = session(Provider.EVOLUTION);
        pendingReply(session, "out-f1", "Confirmado");
        replies.markInFlight(session.tenantId(), MARIA.contactId(), "out-f1", SendReconciler.fingerprint("Confirmado", null));
        failAsTimeout(session, "out-f1");

        store.storeMessage(session, echo("3EB0F1", "Confirmado", MessageStatus.SENT));

        Map<String, AttributeValue> reply = item(session, "out-f1");
        assertThat(reply.get(MessageItems.STATUS).s()).isEqualTo("sent");
        assertThat(reply).doesNotContainKeys(SendReconciler.STATUS_CODE, MessageItems.STATUS_REASON);
        assertThat(messages(session)).hasSize(1);
    }

    @Test
    void a_failure_other_than_a_timeout_is_never_lifted_by_a_late_claim() {
        Session session = session(Provider.EVOLUTION);
        pendingReply(session, "out-g1", "Oi");
        failAs(session, "out-g1", "not_on_whatsapp");

        replies.claim(session, MARIA.contactId(), "out-g1", "3EB0G1");

        assertThat(item(session, "out-g1").get(MessageItems.STATUS).s()).isEqualTo("failed");
    }

    @Test
    void a_leads_reaction_to_a_reply_by_its_gateway_id_lands_on_the_reply() {
        Session session = session(Provider.EVOLUTION);
        pendingReply(session, "out-h1", "Fechado!");
        replies.claim(session, MARIA.contactId(), "out-h1", "3EB0H1");

        store.storeChange(session, MessageChange.reaction("R-H1", "3EB0H1", MARIA.contactId(), Direction.LEAD, "👍", T0.plusSeconds(4)));

        assertThat(messages(session)).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo("out-h1");
            assertThat(m.reactions()).containsEntry("lead", "👍");
        });
    }

    @Test
    void the_answer_and_the_echo_racing_each_other_always_leave_one_message_marked_sent() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int i = 0; i < 25; i++) {
                int round = i;
                Session session = session(Provider.INBOX_HUB);
                String reply = "out-race" + round;
                String gatewayId = "HUB-R" + round;
                pendingReply(session, reply, "Corrida " + round);
                replies.markInFlight(session.tenantId(), MARIA.contactId(), reply, SendReconciler.fingerprint("Corrida " + round, null));

                CompletableFuture<?> answer = CompletableFuture.runAsync(() -> replies.claim(session, MARIA.contactId(), reply, gatewayId), pool);
                CompletableFuture<?> echo = CompletableFuture.runAsync(
                        () -> store.storeMessage(session, echo(gatewayId, "Corrida " + round, MessageStatus.SENT)), pool);
                CompletableFuture<?> receipt = CompletableFuture.runAsync(() -> store.storeStatus(session,
                        new StatusUpdate(gatewayId, MARIA.contactId(), MessageStatus.DELIVERED, null, T0.plusSeconds(3))), pool);
                CompletableFuture.allOf(answer, echo, receipt).join();

                assertThat(messages(session)).as("round %d", round)
                        .extracting(Message::id, Message::status).containsExactly(tuple(reply, "delivered"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void every_arrival_order_of_answer_echo_and_receipts_ends_as_one_message_read() {
        List<String> steps = List.of("answer", "echo", "delivered", "read");
        for (List<String> order : permutations(steps)) {
            Session session = session(Provider.EVOLUTION);
            String reply = "out-" + String.join("-", order);
            pendingReply(session, reply, "Ordem " + order);
            replies.markInFlight(session.tenantId(), MARIA.contactId(), reply, SendReconciler.fingerprint("Ordem " + order, null));
            for (String step : order) {
                switch (step) {
                    case "answer" -> replies.claim(session, MARIA.contactId(), reply, "GW-" + reply);
                    case "echo" -> store.storeMessage(session, echo("GW-" + reply, "Ordem " + order, MessageStatus.SENT));
                    case "delivered" -> store.storeStatus(session,
                            new StatusUpdate("GW-" + reply, MARIA.contactId(), MessageStatus.DELIVERED, null, T0.plusSeconds(2)));
                    default -> store.storeStatus(session,
                            new StatusUpdate("GW-" + reply, MARIA.contactId(), MessageStatus.READ, null, T0.plusSeconds(3)));
                }
            }
            assertThat(messages(session)).as("order %s", order)
                    .extracting(Message::id, Message::status).containsExactly(tuple(reply, "read"));
        }
    }

    private static List<List<String>> permutations(List<String> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<String>> all = new ArrayList<>();
        for (String first : items) {
            List<String> rest = new ArrayList<>(items);
            rest.remove(first);
            for (List<String> tail : permutations(rest)) {
                List<String> order = new ArrayList<>();
                order.add(first);
                order.addAll(tail);
                all.add(order);
            }
        }
        return all;
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }

    /** The reply as the send endpoint stores it: an agent message, pending, under {@code out-<client_id>}. */
    private static void pendingReply(Session session, String id, String text) {
        InboundMessage reply = new InboundMessage(id, null, Direction.AGENT, MARIA.contactId(), false, MARIA, text, null, T0,
                MessageStatus.PENDING, MessageKind.TEXT, null);
        assertThat(store.storeMessage(session, reply)).isEqualTo(StoreOutcome.STORED);
    }

    private static InboundMessage echo(String id, String text, MessageStatus status) {
        return new InboundMessage(id, id, Direction.AGENT, MARIA.contactId(), false, MARIA, text, (Media) null, T0.plusSeconds(1), status,
                MessageKind.TEXT, null);
    }

    private static void failAsTimeout(Session session, String id) {
        failAs(session, id, SendReconciler.TIMEOUT_CODE);
    }

    private static void failAs(Session session, String id, String code) {
        dynamo.client().updateItem(r -> r.tableName(config.messagesTable())
                .key(Map.of(MessageItems.PK, AttributeValue.fromS(MessageItems.pk(session.tenantId(), id))))
                .updateExpression("SET #s = :s, #r = :r, #c = :c, #why = :why")
                .expressionAttributeNames(Map.of("#s", MessageItems.STATUS, "#r", MessageItems.STATUS_RANK, "#c", SendReconciler.STATUS_CODE,
                        "#why", MessageItems.STATUS_REASON))
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("failed"), ":r", AttributeValue.fromN("9"),
                        ":c", AttributeValue.fromS(code), ":why", AttributeValue.fromS("the gateway said no"))));
    }

    private static List<Message> messages(Session session) {
        return reader.messages(session.tenantId(), MARIA.contactId(), 50, null).items();
    }

    private static Map<String, AttributeValue> item(Session session, String id) {
        Map<String, AttributeValue> item = dynamo.client().getItem(r -> r.tableName(config.messagesTable()).consistentRead(true)
                .key(Map.of(MessageItems.PK, AttributeValue.fromS(session.tenantId() + "#" + id)))).item();
        return item == null ? Map.of() : item;
    }

    private static List<String> statusEvents(Session session) {
        List<String> statuses = new ArrayList<>();
        for (Map<String, AttributeValue> event : dynamo.client().query(q -> q.tableName(config.eventsTable())
                .keyConditionExpression("#t = :t")
                .expressionAttributeNames(Map.of("#t", EventItems.TENANT_ID))
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(session.tenantId())))
                .consistentRead(true)).items()) {
            if ("message_status".equals(event.get(EventItems.TYPE).s())) {
                JsonNode body = Json.parse(event.get(EventItems.BODY).s());
                statuses.add(body.path("message_id").asText() + ":" + body.path("status").asText());
            }
        }
        return Collections.unmodifiableList(statuses);
    }

    private static Session session(Provider provider) {
        return new Session("s-" + UUID.randomUUID(), "tenant-" + UUID.randomUUID(), provider, SignatureKind.HMAC_SHA256,
                List.of("secret"), null, List.of(), true, T0, null, null, null);
    }
}
