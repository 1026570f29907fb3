package io.inboxrelay.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.inboxrelay.admin.SessionAdmin;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.Direction;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.MessageStatus;
import io.inboxrelay.core.Party;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.outbound.GatewayClients;
import io.inboxrelay.core.outbound.GatewayHttp;
import io.inboxrelay.core.outbound.MediaLimits;
import io.inboxrelay.handler.SenderHandler;
import io.inboxrelay.local.LocalDynamo;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.readapi.BadRequestException;
import io.inboxrelay.store.DynamoInboxStore;
import io.inboxrelay.store.DynamoSessionRegistry;
import io.inboxrelay.store.OutboundStore;
import io.inboxrelay.store.SendRateLimit;
import io.inboxrelay.store.SendReconciler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The send path's store parts against DynamoDB Local with the template's tables; the outbox is an in-test one. */
class SendStoreTest {

    private static LocalDynamo dynamo;
    private static Config config;
    private static SessionAdmin admin;
    private static DynamoSessionRegistry registry;
    private static DynamoInboxStore inbox;
    private static OutboundStore store;

    /** An outbox that refuses while told to, and records what it took. */
    private static final class TestOutbox implements Outbox {
        final List<OutboxJob> taken = new ArrayList<>();
        boolean refusing;

        @Override
        public void enqueue(OutboxJob job) {
            if (refusing) {
                throw new UnavailableException("refused by the test", null);
            }
            taken.add(job);
        }
    }

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.startInMemory().createTables(SamTemplate.fromRepository());
        config = Config.from(dynamo.environment());
        registry = new DynamoSessionRegistry(dynamo.client(), config.sessionsTable());
        admin = new SessionAdmin(registry, Clock.systemUTC());
        inbox = new DynamoInboxStore(dynamo.client(), config, Clock.systemUTC());
        store = new OutboundStore(dynamo.client(), config, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    private static Session sendableSession(String tenant) {
        String sessionId = admin.create(new SessionAdmin.NewSession(tenant, null, "inboxhub", null, null, null, null)).session().sessionId();
        admin.setGateway(sessionId, "http://127.0.0.1:9/inboxhub", "gateway-key-0123456789", null, null);
        return admin.get(sessionId);
    }

    private static String leadWrites(Session session, String phone) {
        String contactId = phone.substring(1);
        String id = "m-" + UUID.randomUUID();
        inbox.storeMessage(session, new InboundMessage(id, id, Direction.LEAD, contactId, false,
                new Party(contactId, phone, contactId + "@s.whatsapp.net", "Ana"), "Oi", null, Instant.now(), MessageStatus.DELIVERED));
        return contactId;
    }

    private static SendRequest request(String clientId, String text) {
        return SendRequest.parse(Json.write(Json.object().put("client_id", clientId).put("text", text)).getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, AttributeValue> conversationItem(String tenant, String conversationId) {
        return dynamo.client().getItem(r -> r.tableName(config.conversationsTable()).consistentRead(true).key(Map.of(
                "tenantId", AttributeValue.fromS(tenant), "conversationId", AttributeValue.fromS(conversationId)))).item();
    }

    @Test
    void an_outbox_that_refuses_answers_503_and_leaves_the_reply_pending_until_a_retry_with_the_same_client_id_enqueues_it() {
        String tenant = "t-" + UUID.randomUUID();
        Session session = sendableSession(tenant);
        String conversation = leadWrites(session, "+5511987654321");
        TestOutbox outbox = new TestOutbox();
        SendService service = new SendService(store, inbox, registry, outbox, Clock.systemUTC());
        String clientId = UUID.randomUUID().toString();

        outbox.refusing = true;
        SendService.Answer refused = service.send(tenant, conversation, request(clientId, "Olá"));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body().path("error").asText()).isEqualTo("unavailable");
        OutboundStore.StoredReply pending = store.reply(tenant, "out-" + clientId).orElseThrow();
        assertThat(pending.view().status()).isEqualTo("pending");
        assertThat(pending.enqueued()).isFalse();

        outbox.refusing = false;
        SendService.Answer retried = service.send(tenant, conversation, request(clientId, "Olá"));
        assertThat(retried.status()).isEqualTo(202);
        assertThat(outbox.taken).singleElement().isEqualTo(new OutboxJob.Send(tenant, session.sessionId(), conversation, "out-" + clientId));
        assertThat(store.reply(tenant, "out-" + clientId).orElseThrow().enqueued()).isTrue();

        assertThat(service.send(tenant, conversation, request(clientId, "Olá")).status()).isEqualTo(202);
        assertThat(outbox.taken).as("enqueued once").hasSize(1);
    }

    @Test
    void a_disabled_session_answers_409_not_sendable_and_stores_nothing() {
        String tenant = "t-" + UUID.randomUUID();
        Session session = sendableSession(tenant);
        String conversation = leadWrites(session, "+5511987654325");
        admin.setEnabled(session.sessionId(), false);
        TestOutbox outbox = new TestOutbox();
        String clientId = UUID.randomUUID().toString();

        SendService.Answer answer = new SendService(store, inbox, registry, outbox, Clock.systemUTC())
                .send(tenant, conversation, request(clientId, "Olá"));

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.body().path("error").asText()).isEqualTo("not_sendable");
        assertThat(answer.body().path("message").asText()).contains("session " + session.sessionId() + " is disabled");
        assertThat(store.reply(tenant, "out-" + clientId)).isEmpty();
        assertThat(outbox.taken).isEmpty();
    }

    @Test
    void every_message_names_its_conversations_session_and_an_older_conversation_is_sent_through_its_newest_messages_session() {
        String tenant = "t-" + UUID.randomUUID();
        Session session = sendableSession(tenant);
        String conversation = leadWrites(session, "+5511987654322");
        assertThat(conversationItem(tenant, conversation).get("sessionId").s()).isEqualTo(session.sessionId());

        dynamo.client().updateItem(r -> r.tableName(config.conversationsTable()).key(Map.of(
                "tenantId", AttributeValue.fromS(tenant), "conversationId", AttributeValue.fromS(conversation)))
                .updateExpression("REMOVE sessionId"));
        TestOutbox outbox = new TestOutbox();
        SendService.Answer answer = new SendService(store, inbox, registry, outbox, Clock.systemUTC())
                .send(tenant, conversation, request(UUID.randomUUID().toString(), "Olá"));

        assertThat(answer.status()).isEqualTo(202);
        assertThat(outbox.taken).singleElement().extracting(OutboxJob::sessionId).isEqualTo(session.sessionId());
    }

    @Test
    void a_reply_that_quotes_a_message_of_another_conversation_is_refused_and_one_of_its_own_is_stored_quoted() {
        String tenant = "t-" + UUID.randomUUID();
        Session session = sendableSession(tenant);
        String conversation = leadWrites(session, "+5511987654323");
        leadWrites(session, "+5511987654324");
        String own = store.unreadLeadMessages(tenant, conversation).get(0).providerMessageId();
        SendService service = new SendService(store, inbox, registry, new TestOutbox(), Clock.systemUTC());
        String body = "{\"client_id\":\"%s\",\"text\":\"sim\",\"reply_to\":\"%s\"}";

        assertThatThrownBy(() -> service.send(tenant, conversation, SendRequest.parse(
                body.formatted(UUID.randomUUID(), "no-such-message").getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("reply_to");
        SendService.Answer quoted = service.send(tenant, conversation, SendRequest.parse(
                body.formatted("quote-0001", own).getBytes(StandardCharsets.UTF_8)));

        assertThat(quoted.status()).isEqualTo(202);
        assertThat(quoted.body().path("message").path("quoted").path("id").asText()).isEqualTo(own);
        assertThat(store.reply(tenant, "out-quote-0001").orElseThrow().replyTo()).isEqualTo(own);
    }

    @Test
    void a_quiet_session_sends_its_burst_at_once_then_one_per_interval_and_never_reserves_a_slot_it_would_not_wait_for() {
        String tenant = "t-" + UUID.randomUUID();
        String sessionId = sendableSession(tenant).sessionId();
        SendRateLimit limit = new SendRateLimit(dynamo.client(), config.sessionsTable(), 1, 3);
        Instant t0 = Instant.parse("2026-12-01T12:00:00Z");
        Duration wait = Duration.ofSeconds(5);

        assertThat(List.of(limit.reserve(sessionId, t0, wait), limit.reserve(sessionId, t0, wait), limit.reserve(sessionId, t0, wait)))
                .allMatch(slot -> slot.reserved() && slot.delay().isZero());
        assertThat(limit.reserve(sessionId, t0, wait)).isEqualTo(new SendRateLimit.Slot(true, Duration.ofSeconds(1)));
        assertThat(limit.reserve(sessionId, t0, wait)).isEqualTo(new SendRateLimit.Slot(true, Duration.ofSeconds(2)));
        // Further than the caller waits: only told when; the slot stays free for whoever comes then.
        assertThat(limit.reserve(sessionId, t0, Duration.ofMillis(2_500))).isEqualTo(new SendRateLimit.Slot(false, Duration.ofSeconds(3)));
        assertThat(limit.reserve(sessionId, t0, wait)).isEqualTo(new SendRateLimit.Slot(true, Duration.ofSeconds(3)));
        // A session quiet for a while has its whole burst again.
        assertThat(limit.reserve(sessionId, t0.plusSeconds(60), wait)).isEqualTo(new SendRateLimit.Slot(true, Duration.ZERO));
    }

    @Test
    void the_sender_fails_a_job_it_cannot_read_and_every_later_job_of_its_conversation_in_the_batch_but_not_other_conversations() {
        Sender sender = sender();
        SenderHandler handler = new SenderHandler(sender, null, null);
        String tenant = "t-" + UUID.randomUUID();
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(
                record("a", tenant + "#c1", "{not json"),
                record("b", tenant + "#c1", new OutboxJob.Send(tenant, "s", "c1", "out-gone-0001").toJson()),
                record("c", tenant + "#c2", new OutboxJob.Send(tenant, "s", "c2", "out-gone-0002").toJson())));

        SQSBatchResponse response = handler.handleRequest(event, null);

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("a", "b");
    }

    @Test
    void a_reply_whose_session_lost_its_gateway_credential_before_it_went_out_fails_no_credentials_with_the_command() {
        Queued queued = queuedReply("+5511987654326");
        String tenant = queued.tenant();
        Session session = queued.session();
        TestOutbox outbox = queued.outbox();
        String clientId = queued.clientId();
        dynamo.client().updateItem(r -> r.tableName(config.sessionsTable())
                .key(Map.of("sessionId", AttributeValue.fromS(session.sessionId())))
                .updateExpression("REMOVE sealedGatewayCredential, gatewayCredentialSet"));
        Sender sender = sender();

        Sender.Outcome outcome = sender.handle(outbox.taken.get(0), 1, new io.inboxrelay.observability.Metrics("Sender"));

        assertThat(outcome.done()).isTrue();
        assertThat(outcome.outcome()).isEqualTo("failed");
        OutboundStore.StoredReply failed = store.reply(tenant, "out-" + clientId).orElseThrow();
        assertThat(failed.view().status()).isEqualTo("failed");
        assertThat(failed.view().statusCode()).isEqualTo("no_credentials");
        assertThat(failed.view().statusReason()).contains("inbox-relay sessions credentials --session " + session.sessionId());
        assertThat(sender.handle(outbox.taken.get(0), 2, new io.inboxrelay.observability.Metrics("Sender")).outcome())
                .as("a failed reply is never tried again").isEqualTo("already_settled");
    }

    @Test
    void a_reply_whose_session_was_disabled_after_it_was_queued_fails_and_never_goes_out() {
        Queued queued = queuedReply("+5511987654327");
        String tenant = queued.tenant();
        Session session = queued.session();
        TestOutbox outbox = queued.outbox();
        String clientId = queued.clientId();
        dynamo.client().updateItem(r -> r.tableName(config.sessionsTable())
                .key(Map.of("sessionId", AttributeValue.fromS(session.sessionId())))
                .updateExpression("SET enabled = :f").expressionAttributeValues(Map.of(":f", AttributeValue.fromBool(false))));
        Sender sender = sender();

        Sender.Outcome outcome = sender.handle(outbox.taken.get(0), 1, new io.inboxrelay.observability.Metrics("Sender"));

        assertThat(outcome.outcome()).isEqualTo("failed");
        OutboundStore.StoredReply failed = store.reply(tenant, "out-" + clientId).orElseThrow();
        assertThat(failed.view().statusCode()).isEqualTo("session_disabled");
        assertThat(failed.view().statusReason()).contains("was disabled");
    }

    @Test
    void a_job_is_not_started_without_time_left_for_a_whole_gateway_call_and_comes_back_instead() {
        Sender sender = sender();
        SenderHandler handler = new SenderHandler(sender, null, null);
        String tenant = "t-" + UUID.randomUUID();
        SQSEvent event = new SQSEvent();
        // A job for a reply that does not exist is finished at once, whenever it runs: here it must not run at all.
        event.setRecords(List.of(record("late", tenant + "#c1", new OutboxJob.Send(tenant, "s", "c1", "out-gone-0003").toJson())));

        assertThat(handler.handleRequest(event, remaining(Duration.ofSeconds(20))).getBatchItemFailures())
                .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier).containsExactly("late");
        assertThat(handler.handleRequest(event, remaining(Duration.ofSeconds(30))).getBatchItemFailures()).isEmpty();
    }

    @Test
    void the_later_jobs_of_a_held_conversation_are_made_visible_again_at_once_not_left_in_flight_for_the_queues_timeout() {
        Sender sender = sender();
        List<String> visibility = new ArrayList<>();
        software.amazon.awssdk.services.sqs.SqsClient sqs = (software.amazon.awssdk.services.sqs.SqsClient) java.lang.reflect.Proxy.newProxyInstance(
                SendStoreTest.class.getClassLoader(), new Class<?>[] {software.amazon.awssdk.services.sqs.SqsClient.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("changeMessageVisibility") && args[0] instanceof java.util.function.Consumer<?> build) {
                        var request = software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityRequest.builder();
                        @SuppressWarnings("unchecked")
                        var consumer = (java.util.function.Consumer<software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityRequest.Builder>) build;
                        consumer.accept(request);
                        var built = request.build();
                        visibility.add(built.receiptHandle() + "=" + built.visibilityTimeout());
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        SenderHandler handler = new SenderHandler(sender, sqs, "http://127.0.0.1:9324/000000000000/OutboxQueue.fifo");
        String tenant = "t-" + UUID.randomUUID();
        SQSEvent event = new SQSEvent();
        // Too little time left for the first job: it comes back at once, and so must the one behind it.
        event.setRecords(List.of(record("first", tenant + "#c1", new OutboxJob.Send(tenant, "s", "c1", "out-held-0001").toJson()),
                record("second", tenant + "#c1", new OutboxJob.Send(tenant, "s", "c1", "out-held-0002").toJson())));

        assertThat(handler.handleRequest(event, remaining(Duration.ofSeconds(20))).getBatchItemFailures())
                .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier).containsExactly("first", "second");
        assertThat(visibility).containsExactly("receipt-first=0", "receipt-second=0");
    }

    /** A reply accepted (202) for a new tenant's lead and handed to the test's outbox, not yet sent. */
    private record Queued(String tenant, Session session, TestOutbox outbox, String clientId) {
    }

    private static Queued queuedReply(String leadPhone) {
        String tenant = "t-" + UUID.randomUUID();
        Session session = sendableSession(tenant);
        String conversation = leadWrites(session, leadPhone);
        TestOutbox outbox = new TestOutbox();
        String clientId = UUID.randomUUID().toString();
        assertThat(new SendService(store, inbox, registry, outbox, Clock.systemUTC()).send(tenant, conversation, request(clientId, "Olá"))
                .status()).isEqualTo(202);
        return new Queued(tenant, session, outbox, clientId);
    }

    /** The sender over DynamoDB Local with the default gateway client and a rate of 1/s, burst 5; it never waits. */
    private static Sender sender() {
        return new Sender(store, registry, registry::gatewayConnection,
                new GatewayClients(GatewayHttp.createDefault(), MediaLimits.MAX_PROXY_BYTES),
                new SendRateLimit(dynamo.client(), config.sessionsTable(), 1, 5), new SendReconciler(dynamo.client(), config, Clock.systemUTC()),
                Clock.systemUTC(), pause -> { });
    }

    private static com.amazonaws.services.lambda.runtime.Context remaining(Duration left) {
        return (com.amazonaws.services.lambda.runtime.Context) java.lang.reflect.Proxy.newProxyInstance(SendStoreTest.class.getClassLoader(),
                new Class<?>[] {com.amazonaws.services.lambda.runtime.Context.class},
                (proxy, method, args) -> method.getName().equals("getRemainingTimeInMillis") ? (int) left.toMillis() : null);
    }

    private static SQSEvent.SQSMessage record(String id, String group, String body) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(id);
        message.setBody(body);
        message.setReceiptHandle("receipt-" + id);
        message.setAttributes(Map.of("MessageGroupId", group, "ApproximateReceiveCount", "1"));
        return message;
    }

    @Test
    void outbox_jobs_keep_their_fields_and_ids_sqs_accepts() {
        OutboxJob.Read read = new OutboxJob.Read("acme", "s1", "5511987654321", "+5511987654321", List.of("NEWEST", "OLDER"));
        assertThat(OutboxJob.parse(read.toJson())).isEqualTo(read);
        assertThat(Json.parse(read.toJson()).path("kind").asText()).isEqualTo("read");
        assertThat(read.deduplicationId()).isEqualTo("read:5511987654321:NEWEST");
        OutboxJob.Send send = new OutboxJob.Send("acme", "s1", "group:1203634@g.us", "out-" + "x".repeat(64));
        assertThat(OutboxJob.parse(send.toJson())).isEqualTo(send);
        assertThat(send.groupId()).isEqualTo("acme#group:1203634@g.us");
        assertThat(send.deduplicationId()).isEqualTo("send:out-" + "x".repeat(64));
        OutboxJob.Send long_ = new OutboxJob.Send("t".repeat(100), "s1", "c".repeat(100), "out-ü" + "y".repeat(200));
        assertThat(long_.groupId()).hasSizeLessThanOrEqualTo(128).matches("[0-9a-f]{64}");
        assertThat(long_.deduplicationId()).hasSizeLessThanOrEqualTo(128).startsWith("send:");
        assertThatThrownBy(() -> OutboxJob.parse("{\"v\":2,\"kind\":\"send\"}")).isInstanceOf(IllegalArgumentException.class);
    }
}
