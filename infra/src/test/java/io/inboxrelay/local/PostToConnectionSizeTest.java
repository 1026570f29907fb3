package io.inboxrelay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboxrelay.core.Json;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.eclipse.jetty.websocket.api.Frame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.PayloadTooLargeException;

/** PostToConnection against API Gateway's size quotas: 128 KB per message, delivered in frames of at most 32 KB. */
class PostToConnectionSizeTest {

    private static final int KB = 1024;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static LocalStack stack;
    private static ApiGatewayManagementApiClient management;

    @BeforeAll
    static void start() {
        stack = TestStacks.start(LocalStack.Options.ephemeral(TestStacks.JWT_SECRET));
        management = managementClient(stack);
    }

    @AfterAll
    static void stop() {
        management.close();
        stack.close();
    }

    static ApiGatewayManagementApiClient managementClient(LocalStack stack) {
        return ApiGatewayManagementApiClient.builder()
                .endpointOverride(stack.managementEndpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** The connection id the stack gave the socket, as the echo route answers it. */
    static String connectionIdOf(FrameSocket socket) throws Exception {
        socket.send("{\"type\":\"echo\"}");
        FrameSocket.Message answer = socket.next(WAIT);
        assertThat(answer).as("the echo route's answer").isNotNull();
        return Json.parse(answer.text()).path("connectionId").asText();
    }

    /** A JSON event of exactly {@code bytes} bytes of UTF-8. */
    private static String eventOf(int bytes) {
        String head = "{\"type\":\"new_message\",\"text\":\"";
        String tail = "\"}";
        return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
    }

    private static void post(String connectionId, String data) {
        management.postToConnection(r -> r.connectionId(connectionId).data(SdkBytes.fromUtf8String(data)));
    }

    private static FrameSocket connect() throws Exception {
        return FrameSocket.connect(URI.create(stack.webSocketUrl() + "?token=good-t1"));
    }

    @Test
    void a_31_kb_post_arrives_as_one_message_in_one_frame() throws Exception {
        try (FrameSocket socket = connect()) {
            String connectionId = connectionIdOf(socket);
            String event = eventOf(31 * KB);
            post(connectionId, event);
            FrameSocket.Message received = socket.next(WAIT);
            assertThat(received.text()).isEqualTo(event);
            assertThat(received.frames()).containsExactly(new FrameSocket.ReceivedFrame(Frame.Type.TEXT, true, 31 * KB));
        }
    }

    @Test
    void a_33_kb_post_arrives_as_one_message_assembled_from_frames_of_at_most_32_kb() throws Exception {
        try (FrameSocket socket = connect()) {
            String connectionId = connectionIdOf(socket);
            String event = eventOf(33 * KB);
            post(connectionId, event);
            FrameSocket.Message received = socket.next(WAIT);
            assertThat(received.text()).isEqualTo(event);
            assertThat(received.frames()).containsExactly(
                    new FrameSocket.ReceivedFrame(Frame.Type.TEXT, false, 32 * KB),
                    new FrameSocket.ReceivedFrame(Frame.Type.CONTINUATION, true, KB));
            assertThat(socket.next(Duration.ZERO)).as("nothing but the one message").isNull();
        }
    }

    @Test
    void a_127_kb_post_arrives_whole_in_frames_of_at_most_32_kb() throws Exception {
        try (FrameSocket socket = connect()) {
            String connectionId = connectionIdOf(socket);
            String event = eventOf(127 * KB);
            post(connectionId, event);
            FrameSocket.Message received = socket.next(WAIT);
            assertThat(received.text()).isEqualTo(event);
            assertThat(received.frames()).hasSize(4);
            assertThat(received.frames()).allSatisfy(frame -> assertThat(frame.payloadBytes()).isLessThanOrEqualTo(32 * KB));
            assertThat(received.frames().get(0).type()).isEqualTo(Frame.Type.TEXT);
        }
    }

    @Test
    void a_long_whatsapp_text_with_accents_and_emoji_is_cut_between_characters_and_arrives_intact() throws Exception {
        try (FrameSocket socket = connect()) {
            String connectionId = connectionIdOf(socket);
            // 40,000 characters: 2-byte letters and 4-byte emoji, so frame boundaries fall inside characters unless avoided
            String text = "ñandú 😀 ".repeat(5_000);
            String event = "{\"type\":\"new_message\",\"message\":{\"content\":\"" + text + "\"}}";
            post(connectionId, event);
            FrameSocket.Message received = socket.next(WAIT);
            assertThat(received.text()).isEqualTo(event);
            assertThat(received.frames()).hasSizeGreaterThan(1)
                    .allSatisfy(frame -> assertThat(frame.payloadBytes()).isLessThanOrEqualTo(32 * KB));
        }
    }

    @Test
    void a_129_kb_post_is_refused_as_payload_too_large_and_the_connection_stays_and_keeps_receiving() throws Exception {
        try (FrameSocket socket = connect()) {
            String connectionId = connectionIdOf(socket);
            assertThatThrownBy(() -> post(connectionId, eventOf(129 * KB)))
                    .isInstanceOf(PayloadTooLargeException.class)
                    .satisfies(e -> assertThat(((PayloadTooLargeException) e).statusCode()).isEqualTo(413));

            assertThat(management.getConnection(r -> r.connectionId(connectionId)).connectedAt()).isNotNull();
            String next = eventOf(KB);
            post(connectionId, next);
            assertThat(socket.next(WAIT).text()).isEqualTo(next);
            assertThat(socket.isOpen()).isTrue();
        }
    }

    @Test
    void big_posts_racing_to_one_connection_each_arrive_whole() throws Exception {
        try (FrameSocket socket = connect()) {
            String connectionId = connectionIdOf(socket);
            List<String> events = IntStream.range(0, 8)
                    .mapToObj(i -> eventOf(100 * KB).replaceFirst("xxxx", "n" + i + "xx"))
                    .toList();
            ExecutorService posters = Executors.newFixedThreadPool(events.size());
            try {
                for (Future<?> posted : posters.invokeAll(events.stream().<Callable<Object>>map(event -> () -> {
                    post(connectionId, event);
                    return null;
                }).toList())) {
                    posted.get();
                }
            } finally {
                posters.shutdown();
            }
            List<String> received = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                FrameSocket.Message message = socket.next(WAIT);
                assertThat(message).as("message %d of %d", i + 1, events.size()).isNotNull();
                received.add(message.text());
            }
            assertThat(received).containsExactlyInAnyOrderElementsOf(events);
        }
    }

    @Test
    void exactly_128_kb_is_still_delivered() throws Exception {
        try (FrameSocket socket = connect()) {
            String connectionId = connectionIdOf(socket);
            String event = eventOf(128 * KB);
            post(connectionId, event);
            assertThat(socket.next(WAIT).text()).isEqualTo(event);
        }
    }
}
