package io.inboxrelay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.inboxrelay.core.Json;
import io.inboxrelay.local.fixtures.TestFifoHandler;
import io.inboxrelay.local.template.SamTemplate;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchEntryIdsNotDistinctException;
import software.amazon.awssdk.services.sqs.model.EmptyBatchRequestException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageNotInflightException;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sqs.model.TooManyEntriesInBatchRequestException;
import software.amazon.awssdk.services.sqs.model.UnsupportedOperationException;

/** The local SQS endpoint, called with the AWS SDK's own SqsClient, over a template with the outbox as contract B defines it. */
class LocalSqsTest {

    private static LocalStack stack;
    private static SqsClient sqs;
    private static String outbox;

    @BeforeAll
    static void start() throws URISyntaxException {
        SamTemplate template = SamTemplate.load(Path.of(LocalSqsTest.class.getResource("/local-sqs-test.yaml").toURI()));
        stack = LocalStack.start(template, LocalStack.Options.ephemeral(TestStacks.JWT_SECRET));
        sqs = SqsClient.builder()
                .endpointOverride(URI.create(System.getProperty("SQS_ENDPOINT")))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        outbox = System.getProperty("OUTBOX_QUEUE_URL");
    }

    @AfterAll
    static void stop() {
        sqs.close();
        stack.close();
    }

    private static String group() {
        return "tenant-a#conv-" + UUID.randomUUID();
    }

    private static SendMessageResponse send(String group, String body) {
        return sqs.sendMessage(request -> request.queueUrl(outbox).messageGroupId(group)
                .messageDeduplicationId("send:" + UUID.randomUUID()).messageBody(body));
    }

    private static List<Message> receive(String queueUrl, int max, int visibilitySeconds) {
        return sqs.receiveMessage(request -> request.queueUrl(queueUrl).maxNumberOfMessages(max).visibilityTimeout(visibilitySeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    /** Empties the outbox so each test sees only its own messages. */
    private static void drain(String queueUrl) {
        List<Message> messages;
        while (!(messages = receive(queueUrl, 10, 0)).isEmpty()) {
            messages.forEach(message -> sqs.deleteMessage(request -> request.queueUrl(queueUrl).receiptHandle(message.receiptHandle())));
        }
    }

    @Test
    void functions_get_the_outbox_url_from_their_ref_and_the_endpoint_in_sqs_endpoint() {
        String endpoint = "http://127.0.0.1:" + stack.sqsPort();
        assertThat(System.getProperty("SQS_ENDPOINT")).isEqualTo(endpoint);
        assertThat(outbox).isEqualTo(endpoint + "/000000000000/OutboxQueue.fifo");
        assertThat(System.getProperty("ORDERED_QUEUE_URL")).isEqualTo(endpoint + "/000000000000/ordered.fifo");
        assertThat(sqs.getQueueUrl(request -> request.queueName("OutboxQueue.fifo")).queueUrl()).isEqualTo(outbox);
        assertThat(stack.queueUrl("PlainQueue")).isEqualTo(endpoint + "/000000000000/plain-queue");
    }

    @Test
    void the_outbox_reports_its_template_attributes_and_counts_what_it_holds() {
        drain(outbox);
        send(group(), "{\"v\":1,\"kind\":\"send\"}");
        Map<String, String> attributes = sqs.getQueueAttributes(request -> request.queueUrl(outbox)
                .attributeNames(QueueAttributeName.ALL)).attributesAsStrings();
        assertThat(attributes).containsEntry("ApproximateNumberOfMessages", "1")
                .containsEntry("FifoQueue", "true")
                .containsEntry("ContentBasedDeduplication", "false")
                .containsEntry("VisibilityTimeout", "180")
                .containsEntry("MessageRetentionPeriod", "345600")
                .containsEntry("QueueArn", "arn:aws:sqs:us-east-1:000000000000:OutboxQueue.fifo");
        assertThat(Json.parse(attributes.get("RedrivePolicy")).path("deadLetterTargetArn").asText())
                .isEqualTo("arn:aws:sqs:us-east-1:000000000000:OutboxDeadLetterQueue.fifo");
        assertThat(Json.parse(attributes.get("RedrivePolicy")).path("maxReceiveCount").asInt()).isEqualTo(10);
        List<Message> inFlight = receive(outbox, 1, 60);
        assertThat(sqs.getQueueAttributes(request -> request.queueUrl(outbox)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributesAsStrings()).containsEntry("ApproximateNumberOfMessages", "0").containsEntry("ApproximateNumberOfMessagesNotVisible", "1");
        delete(inFlight);
    }

    /** Deletes received messages (in flight or not), so the next test starts with an empty outbox. */
    private static void delete(List<Message> messages) {
        messages.forEach(message -> sqs.deleteMessage(request -> request.queueUrl(outbox).receiptHandle(message.receiptHandle())));
    }

    @Test
    void a_second_send_with_the_same_deduplication_id_answers_the_first_message_id_and_adds_nothing() {
        drain(outbox);
        String group = group();
        SendMessageResponse first = sqs.sendMessage(request -> request.queueUrl(outbox).messageGroupId(group)
                .messageDeduplicationId("send:out-abc12345").messageBody("{\"message_id\":\"out-abc12345\"}"));
        SendMessageResponse again = sqs.sendMessage(request -> request.queueUrl(outbox).messageGroupId(group)
                .messageDeduplicationId("send:out-abc12345").messageBody("{\"message_id\":\"out-abc12345\"}"));
        assertThat(again.messageId()).isEqualTo(first.messageId());
        assertThat(again.sequenceNumber()).isEqualTo(first.sequenceNumber());
        assertThat(first.sequenceNumber()).matches("[0-9]{20,}");
        assertThat(stack.queue("OutboxQueue").bodies()).hasSize(1);
        drain(outbox);
    }

    @Test
    void a_fifo_send_without_a_group_or_a_deduplication_id_or_with_a_delay_is_refused_as_sqs_refuses_it() {
        assertThatThrownBy(() -> sqs.sendMessage(request -> request.queueUrl(outbox).messageDeduplicationId("d1").messageBody("x")))
                .isInstanceOfSatisfying(SqsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MissingParameter");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The request must contain the parameter MessageGroupId.");
                });
        assertThatThrownBy(() -> sqs.sendMessage(request -> request.queueUrl(outbox).messageGroupId("g").messageBody("x")))
                .isInstanceOfSatisfying(SqsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("ContentBasedDeduplication", "MessageDeduplicationId");
                });
        assertThatThrownBy(() -> sqs.sendMessage(request -> request.queueUrl(outbox).messageGroupId("g").messageDeduplicationId("d2")
                .delaySeconds(5).messageBody("x")))
                .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorMessage()).contains("DelaySeconds"));
        assertThat(stack.queue("OutboxQueue").bodies()).doesNotContain("x");
    }

    @Test
    void a_body_over_256_kib_is_refused_and_one_of_exactly_256_kib_is_accepted() {
        String largest = "a".repeat(262_144);
        assertThatThrownBy(() -> sqs.sendMessage(request -> request.queueUrl(outbox).messageGroupId("big")
                .messageDeduplicationId("big-1").messageBody(largest + "a")))
                .isInstanceOfSatisfying(SqsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("Message must be shorter than 262144 bytes");
                });
        assertThat(sqs.sendMessage(request -> request.queueUrl(outbox).messageGroupId("big")
                .messageDeduplicationId("big-2").messageBody(largest)).messageId()).isNotBlank();
        drain(outbox);
    }

    @Test
    void an_unknown_queue_is_the_sdk_s_queue_does_not_exist_exception() {
        String missing = "http://127.0.0.1:" + stack.sqsPort() + "/000000000000/NoSuchQueue.fifo";
        assertThatThrownBy(() -> sqs.sendMessage(request -> request.queueUrl(missing).messageGroupId("g").messageDeduplicationId("d").messageBody("x")))
                .isInstanceOfSatisfying(QueueDoesNotExistException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AWS.SimpleQueueService.NonExistentQueue");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The specified queue does not exist.");
                });
        assertThatThrownBy(() -> sqs.getQueueUrl(request -> request.queueName("NoSuchQueue"))).isInstanceOf(QueueDoesNotExistException.class);
    }

    @Test
    void a_group_s_next_message_waits_while_an_earlier_one_is_in_flight_and_other_groups_go_on() {
        drain(outbox);
        String a = group();
        String b = group();
        send(a, "a1");
        send(a, "a2");
        send(b, "b1");
        List<Message> first = receive(outbox, 1, 60);
        assertThat(first).extracting(Message::body).containsExactly("a1");
        List<Message> other = receive(outbox, 10, 60);
        assertThat(other).extracting(Message::body).containsExactly("b1");
        delete(first);
        List<Message> next = receive(outbox, 10, 60);
        assertThat(next).extracting(Message::body).containsExactly("a2");
        assertThat(next.get(0).attributesAsStrings()).containsEntry("MessageGroupId", a).containsKeys("SequenceNumber", "MessageDeduplicationId");
        delete(other);
        delete(next);
    }

    @Test
    void a_group_hands_out_several_messages_in_order_in_one_receive() {
        drain(outbox);
        String a = group();
        for (int i = 1; i <= 4; i++) {
            send(a, "m" + i);
        }
        List<Message> batch = receive(outbox, 10, 60);
        assertThat(batch).extracting(Message::body).containsExactly("m1", "m2", "m3", "m4");
        delete(batch);
    }

    @Test
    void changing_a_message_s_visibility_to_zero_hands_it_out_again_at_once_and_to_two_seconds_later() {
        drain(outbox);
        String a = group();
        send(a, "retry-me");
        Message received = receive(outbox, 1, 180).get(0);
        assertThat(receive(outbox, 10, 180)).isEmpty();
        sqs.changeMessageVisibility(request -> request.queueUrl(outbox).receiptHandle(received.receiptHandle()).visibilityTimeout(0));
        Message again = receive(outbox, 1, 180).get(0);
        assertThat(again.messageId()).isEqualTo(received.messageId());
        assertThat(again.attributesAsStrings()).containsEntry("ApproximateReceiveCount", "2");
        sqs.changeMessageVisibility(request -> request.queueUrl(outbox).receiptHandle(again.receiptHandle()).visibilityTimeout(2));
        assertThat(receive(outbox, 1, 180)).isEmpty();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> !receive(outbox, 1, 0).isEmpty());
        drain(outbox);
    }

    @Test
    void changing_visibility_with_a_bad_or_stale_handle_or_of_a_visible_message_is_refused() {
        drain(outbox);
        send(group(), "v");
        Message received = receive(outbox, 1, 0).get(0);
        assertThatThrownBy(() -> sqs.changeMessageVisibility(request -> request.queueUrl(outbox).receiptHandle(received.receiptHandle()).visibilityTimeout(5)))
                .isInstanceOf(MessageNotInflightException.class);
        assertThatThrownBy(() -> sqs.changeMessageVisibility(request -> request.queueUrl(outbox).receiptHandle("not-a-handle").visibilityTimeout(5)))
                .isInstanceOf(ReceiptHandleIsInvalidException.class);
        Message inFlight = receive(outbox, 1, 60).get(0);
        delete(List.of(inFlight));
        assertThatThrownBy(() -> sqs.changeMessageVisibility(request -> request.queueUrl(outbox).receiptHandle(inFlight.receiptHandle()).visibilityTimeout(5)))
                .isInstanceOfSatisfying(SqsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("Message does not exist or is not available for visibility timeout change");
                });
    }

    @Test
    void a_message_received_ten_times_moves_to_the_fifo_dead_letter_queue_with_its_group() {
        drain(outbox);
        String a = group();
        SendMessageResponse sent = send(a, "poison");
        for (int receiveCount = 1; receiveCount <= 10; receiveCount++) {
            assertThat(receive(outbox, 1, 0)).extracting(Message::messageId).containsExactly(sent.messageId());
        }
        assertThat(receive(outbox, 1, 0)).isEmpty();
        String deadLetters = sqs.getQueueUrl(request -> request.queueName("OutboxDeadLetterQueue.fifo")).queueUrl();
        List<Message> dead = receive(deadLetters, 10, 30);
        assertThat(dead).extracting(Message::messageId).containsExactly(sent.messageId());
        assertThat(dead.get(0).body()).isEqualTo("poison");
        assertThat(dead.get(0).attributesAsStrings()).containsEntry("MessageGroupId", a);
        sqs.deleteMessage(request -> request.queueUrl(deadLetters).receiptHandle(dead.get(0).receiptHandle()));
    }

    @Test
    void a_batch_answers_each_entry_and_refuses_what_sqs_refuses_as_a_whole() {
        drain(outbox);
        String a = group();
        SendMessageBatchResponse response = sqs.sendMessageBatch(request -> request.queueUrl(outbox).entries(
                SendMessageBatchRequestEntry.builder().id("one").messageGroupId(a).messageDeduplicationId("b-1").messageBody("first").build(),
                SendMessageBatchRequestEntry.builder().id("two").messageDeduplicationId("b-2").messageBody("no group").build(),
                SendMessageBatchRequestEntry.builder().id("three").messageGroupId(a).messageDeduplicationId("b-3").messageBody("third").build()));
        assertThat(response.successful()).extracting(entry -> entry.id()).containsExactly("one", "three");
        assertThat(response.failed()).singleElement().satisfies(failed -> {
            assertThat(failed.id()).isEqualTo("two");
            assertThat(failed.code()).isEqualTo("MissingParameter");
            assertThat(failed.senderFault()).isTrue();
        });
        assertThat(receive(outbox, 10, 0)).extracting(Message::body).containsExactly("first", "third");
        assertThatThrownBy(() -> sqs.sendMessageBatch(request -> request.queueUrl(outbox).entries(List.of())))
                .isInstanceOf(EmptyBatchRequestException.class);
        SendMessageBatchRequestEntry entry = SendMessageBatchRequestEntry.builder().id("same").messageGroupId(a).messageDeduplicationId("x").messageBody("x").build();
        assertThatThrownBy(() -> sqs.sendMessageBatch(request -> request.queueUrl(outbox).entries(entry, entry)))
                .isInstanceOf(BatchEntryIdsNotDistinctException.class);
        List<SendMessageBatchRequestEntry> eleven = java.util.stream.IntStream.range(0, 11).mapToObj(i -> SendMessageBatchRequestEntry.builder()
                .id("e" + i).messageGroupId(a).messageDeduplicationId("e" + i).messageBody("x").build()).toList();
        assertThatThrownBy(() -> sqs.sendMessageBatch(request -> request.queueUrl(outbox).entries(eleven)))
                .isInstanceOf(TooManyEntriesInBatchRequestException.class);
        drain(outbox);
    }

    @Test
    void a_standard_queue_takes_a_delay_and_refuses_a_deduplication_id() {
        String plain = stack.queueUrl("PlainQueue");
        sqs.sendMessage(request -> request.queueUrl(plain).messageBody("later").delaySeconds(1));
        assertThat(sqs.getQueueAttributes(request -> request.queueUrl(plain).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributesAsStrings()).containsEntry("ApproximateNumberOfMessagesDelayed", "1");
        assertThat(receive(plain, 10, 30)).isEmpty();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> sqs.receiveMessage(request -> request.queueUrl(plain).waitTimeSeconds(1)).messages().size() == 1);
        assertThatThrownBy(() -> sqs.sendMessage(request -> request.queueUrl(plain).messageDeduplicationId("d").messageBody("x")))
                .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
    }

    @Test
    void an_operation_the_endpoint_does_not_serve_is_the_sdk_s_unsupported_operation_exception() {
        assertThatThrownBy(() -> sqs.purgeQueue(request -> request.queueUrl(outbox)))
                .isInstanceOfSatisfying(UnsupportedOperationException.class, e -> assertThat(e.getMessage()).contains("PurgeQueue"));
    }

    @Test
    void a_browser_request_is_refused() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(System.getProperty("SQS_ENDPOINT") + "/"))
                .header("Origin", "http://evil.example").header("X-Amz-Target", "AmazonSQS.GetQueueUrl")
                .header("Content-Type", "application/x-amz-json-1.0")
                .POST(HttpRequest.BodyPublishers.ofString("{\"QueueName\":\"OutboxQueue.fifo\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).doesNotContain("OutboxQueue");
    }

    @Test
    void a_function_that_puts_a_fifo_message_back_gets_it_again_after_its_changed_visibility_in_group_order_while_other_groups_go_on() {
        String ordered = System.getProperty("ORDERED_QUEUE_URL");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String a = "a-" + suffix;
        String b = "b-" + suffix;
        sqs.sendMessageBatch(request -> request.queueUrl(ordered).entries(
                SendMessageBatchRequestEntry.builder().id("a1").messageGroupId(a).messageBody("later:1").build(),
                SendMessageBatchRequestEntry.builder().id("a2").messageGroupId(a).messageBody("a2").build(),
                SendMessageBatchRequestEntry.builder().id("b1").messageGroupId(b).messageBody("b1").build(),
                SendMessageBatchRequestEntry.builder().id("a3").messageGroupId(a).messageBody("a3").build(),
                SendMessageBatchRequestEntry.builder().id("b2").messageGroupId(b).messageBody("b2").build()));
        // The queue's VisibilityTimeout is 30 s: seeing a1 again within 10 s means the function's ChangeMessageVisibility took.
        await().atMost(Duration.ofSeconds(10)).until(() -> TestFifoHandler.PROCESSED.stream().filter(name -> name.startsWith(a)).count() == 3);
        List<String> processed = TestFifoHandler.PROCESSED.stream().filter(name -> name.contains(suffix)).toList();
        assertThat(processed.stream().filter(name -> name.startsWith(a))).containsExactly(a + "/later:1", a + "/a2", a + "/a3");
        assertThat(processed.stream().filter(name -> name.startsWith(b))).containsExactly(b + "/b1", b + "/b2");
        assertThat(processed.indexOf(b + "/b2")).isLessThan(processed.indexOf(a + "/later:1"));
        assertThat(TestFifoHandler.PUT_BACK).containsExactly(a + "/later:1");
        await().atMost(Duration.ofSeconds(5)).until(() -> stack.queue("OrderedQueue").bodies().isEmpty());
    }
}
