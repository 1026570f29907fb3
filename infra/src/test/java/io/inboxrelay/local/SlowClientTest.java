package io.inboxrelay.local;

import static io.inboxrelay.local.PostToConnectionSizeTest.connectionIdOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.inboxrelay.local.fixtures.Recorded;
import io.inboxrelay.local.ws.WebSocketApi;
import io.inboxrelay.local.ws.WsLimits;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.ApiGatewayManagementApiException;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.LimitExceededException;

/**
 * A browser that stops reading its socket: posts to it are answered at once (429 once its buffer is full),
 * the other browsers keep receiving, and it is closed with a close code so it reconnects.
 */
class SlowClientTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Far more than the loopback socket buffers and the stack's client buffer hold together. */
    private static final int MAX_POSTS = 2_000;
    private static final String BIG = "{\"type\":\"new_message\",\"text\":\"" + "x".repeat(120 * 1024) + "\"}";

    private static URI url(LocalStack stack) {
        return URI.create(stack.webSocketUrl() + "?token=good-t1");
    }

    private static void post(ApiGatewayManagementApiClient management, String connectionId, String data) {
        management.postToConnection(r -> r.connectionId(connectionId).data(SdkBytes.fromUtf8String(data)));
    }

    /** Posts big messages to the stuck client until the stack refuses one; returns the refusal. */
    private static ApiGatewayManagementApiException fillUntilRefused(ApiGatewayManagementApiClient management, String connectionId) {
        for (int i = 0; i < MAX_POSTS; i++) {
            try {
                post(management, connectionId, BIG);
            } catch (ApiGatewayManagementApiException refused) {
                return refused;
            }
        }
        throw new AssertionError("the stack accepted " + MAX_POSTS + " messages of 120 KB for a client that reads nothing");
    }

    private static boolean disconnectRan(String connectionId) {
        return Recorded.of("$disconnect").stream()
                .anyMatch(event -> connectionId.equals(event.path("requestContext").path("connectionId").asText()));
    }

    /** The stuck browser's tab wakes up: it reads what was queued for it, then its close frame, then reconnects. */
    private static void reconnectsAndReceives(LocalStack stack, ApiGatewayManagementApiClient management) throws Exception {
        try (FrameSocket again = FrameSocket.connect(url(stack))) {
            String connectionId = connectionIdOf(again);
            post(management, connectionId, "{\"type\":\"new_message\",\"id\":\"after\"}");
            assertThat(again.next(WAIT).text()).isEqualTo("{\"type\":\"new_message\",\"id\":\"after\"}");
        }
    }

    @Test
    void a_client_that_stops_reading_gets_429_without_holding_back_the_others_and_delete_connection_closes_it_with_1000()
            throws Exception {
        try (LocalStack stack = TestStacks.start(LocalStack.Options.ephemeral(TestStacks.JWT_SECRET));
             ApiGatewayManagementApiClient management = PostToConnectionSizeTest.managementClient(stack);
             FrameSocket stuck = FrameSocket.connect(url(stack));
             FrameSocket reader = FrameSocket.connect(url(stack))) {
            String stuckId = connectionIdOf(stuck);
            String readerId = connectionIdOf(reader);
            stuck.stopReading();

            ApiGatewayManagementApiException refused = fillUntilRefused(management, stuckId);
            assertThat(refused).isInstanceOf(LimitExceededException.class);
            assertThat(refused.statusCode()).isEqualTo(429);

            post(management, readerId, "{\"type\":\"new_message\",\"id\":\"for-the-reader\"}");
            assertThat(reader.next(WAIT).text()).isEqualTo("{\"type\":\"new_message\",\"id\":\"for-the-reader\"}");
            assertThat(management.getConnection(r -> r.connectionId(stuckId)).connectedAt()).as("429 is not gone").isNotNull();

            // What the fan-out does with a socket it cannot deliver to
            management.deleteConnection(r -> r.connectionId(stuckId));
            assertThatThrownBy(() -> post(management, stuckId, "{}")).isInstanceOf(GoneException.class);
            await().atMost(WAIT).until(() -> disconnectRan(stuckId));

            stuck.resumeReading();
            assertThat(stuck.closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1000);
            reconnectsAndReceives(stack, management);
        }
    }

    @Test
    void a_client_that_reads_nothing_for_the_write_timeout_is_closed_with_1001_and_disconnect_runs() throws Exception {
        WsLimits limits = WsLimits.AWS.withWriteTimeout(Duration.ofSeconds(5));
        try (LocalStack stack = TestStacks.start(LocalStack.Options.ephemeral(TestStacks.JWT_SECRET).withLimits(limits));
             ApiGatewayManagementApiClient management = PostToConnectionSizeTest.managementClient(stack);
             FrameSocket stuck = FrameSocket.connect(url(stack));
             FrameSocket reader = FrameSocket.connect(url(stack))) {
            String stuckId = connectionIdOf(stuck);
            String readerId = connectionIdOf(reader);
            stuck.stopReading();

            // Refused once its buffer is full (429), or once the stack has dropped it (410)
            assertThat(fillUntilRefused(management, stuckId)).isInstanceOfAny(LimitExceededException.class, GoneException.class);
            post(management, readerId, "{\"type\":\"new_message\",\"id\":\"for-the-reader\"}");
            assertThat(reader.next(WAIT).text()).isEqualTo("{\"type\":\"new_message\",\"id\":\"for-the-reader\"}");

            await().atMost(WAIT).untilAsserted(() -> assertThatThrownBy(() -> management.getConnection(r -> r.connectionId(stuckId)))
                    .isInstanceOf(GoneException.class));
            await().atMost(WAIT).until(() -> disconnectRan(stuckId));

            stuck.resumeReading();
            assertThat(stuck.closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1001);
            assertThat(reader.isOpen()).as("the reading client is untouched").isTrue();
            reconnectsAndReceives(stack, management);
        }
    }

    @Test
    void a_client_that_never_reads_its_close_frame_has_its_socket_cut_after_the_close_grace() throws Exception {
        WsLimits limits = WsLimits.AWS.withCloseGrace(Duration.ofSeconds(1));
        try (LocalStack stack = TestStacks.start(LocalStack.Options.ephemeral(TestStacks.JWT_SECRET).withLimits(limits));
             ApiGatewayManagementApiClient management = PostToConnectionSizeTest.managementClient(stack);
             FrameSocket stuck = FrameSocket.connect(url(stack));
             FrameSocket reader = FrameSocket.connect(url(stack))) {
            String stuckId = connectionIdOf(stuck);
            connectionIdOf(reader);
            stuck.stopReading();
            assertThat(fillUntilRefused(management, stuckId)).isInstanceOf(LimitExceededException.class);

            management.deleteConnection(r -> r.connectionId(stuckId));
            WebSocketApi api = stack.webSocketApi().orElseThrow();
            await().atMost(WAIT).until(() -> api.openSockets() == 1);

            // What the tab finds when it wakes up: the socket ended without a close frame (abnormal closure)
            stuck.resumeReading();
            assertThat(stuck.closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1006);
            assertThat(reader.isOpen()).isTrue();
            reconnectsAndReceives(stack, management);
        }
    }
}
