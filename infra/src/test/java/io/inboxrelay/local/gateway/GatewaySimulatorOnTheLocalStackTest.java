package io.inboxrelay.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.inboxrelay.admin.SessionAdmin;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.outbound.Credential;
import io.inboxrelay.core.outbound.FetchedMedia;
import io.inboxrelay.core.outbound.GatewayClient;
import io.inboxrelay.core.outbound.GatewayClients;
import io.inboxrelay.core.outbound.GatewayConnection;
import io.inboxrelay.core.outbound.GatewayException;
import io.inboxrelay.core.outbound.GatewayFailure;
import io.inboxrelay.core.outbound.GatewayHttp;
import io.inboxrelay.core.outbound.MediaKind;
import io.inboxrelay.core.outbound.MediaLimits;
import io.inboxrelay.core.outbound.MediaReference;
import io.inboxrelay.core.outbound.OutboundMedia;
import io.inboxrelay.core.outbound.SendResult;
import io.inboxrelay.core.outbound.WebhookRegistration;
import io.inboxrelay.local.LocalStack;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.store.DynamoSessionRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The real gateway clients against the simulator, whose echo and receipt webhooks go, signed, to the local stack's
 * webhook route: what the send path will reconcile against.
 */
class GatewaySimulatorOnTheLocalStackTest {

    private static final String JWT = "simulator-local-stack-secret-0123456789abcdef";
    private static final String LEAD = "+5511987654321";
    private static final byte[] PICTURE = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3, 4, 5};
    private static final Map<Provider, String> GATEWAY_SESSION = Map.of(
            Provider.EVOLUTION, "acme-sales", Provider.WAHA, "default", Provider.META, "106540352242922",
            Provider.INBOX_HUB, "sim-bridge");

    private static LocalStack stack;
    private static GatewaySimulator simulator;
    private static HttpServer files;
    private static SessionAdmin admin;
    private static final GatewayClients CLIENTS = new GatewayClients(GatewayHttp.createDefault(), MediaLimits.MAX_PROXY_BYTES);

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(SamTemplate.fromRepository(), LocalStack.Options.ephemeral(JWT));
        admin = new SessionAdmin(new DynamoSessionRegistry(stack.dynamo().client(), "SessionsTable"), Clock.systemUTC());
        simulator = GatewaySimulator.start(0, GatewaySimulator.Options.defaults().withReceiptDelay(Duration.ofMillis(100)));
        // Where an agent's attachment would be (a pre-signed URL): the gateway downloads it from here.
        files = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        files.createContext("/picture.png", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, PICTURE.length);
            exchange.getResponseBody().write(PICTURE);
            exchange.close();
        });
        files.start();
    }

    @AfterAll
    static void stop() {
        files.stop(0);
        simulator.close();
        stack.close();
    }

    /** A tenant's session on the stack, and the simulated gateway session pointed at its webhook URL. */
    private record Wired(String tenant, String sessionId, GatewayClient client) {
    }

    private static Wired wire(Provider provider) {
        String tenant = "t-" + UUID.randomUUID();
        SessionAdmin.Created created = admin.create(new SessionAdmin.NewSession(tenant, null, provider.wireName(), null, null,
                provider == Provider.META ? "verify-" + UUID.randomUUID() : null, null));
        String sessionId = created.session().sessionId();
        simulator.registerSession(provider, GATEWAY_SESSION.get(provider), stack.httpUrl() + "/webhooks/" + sessionId, created.secret(),
                SignatureKind.defaultFor(provider));
        return new Wired(tenant, sessionId, client(provider, simulator.apiKey()));
    }

    private static GatewayClient client(Provider provider, String key) {
        return CLIENTS.forConnection(new GatewayConnection(provider, simulator.baseUrl(provider), Credential.of(key),
                GATEWAY_SESSION.get(provider), null));
    }

    /** The tenant's stored messages whose gateway id is {@code id} (WAHA's serialized id compared by its bare id). */
    private static List<Map<String, AttributeValue>> messagesWithId(String tenant, String id) {
        String bare = id.substring(id.lastIndexOf('_') + 1);
        return stack.dynamo().client().scanPaginator(r -> r.tableName("MessagesTable").consistentRead(true)).items().stream()
                .filter(item -> item.containsKey("providerMessageId") && item.get("pk").s().startsWith(tenant + "#"))
                .filter(item -> item.get("providerMessageId").s().endsWith(bare))
                .toList();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as(what).isBefore(deadline);
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"EVOLUTION", "WAHA", "INBOX_HUB"})
    void a_sent_text_comes_back_as_one_signed_agent_message_under_the_same_id_whose_status_reaches_read(Provider provider)
            throws Exception {
        Wired wired = wire(provider);
        SendResult sent = wired.client().sendText(LEAD, "Olá, tudo bem?", null);
        assertThat(sent.messageId()).isNotBlank();

        await("the echo is stored and read", () -> messagesWithId(wired.tenant(), sent.messageId()).stream()
                .anyMatch(item -> "read".equals(item.get("status").s())));
        List<Map<String, AttributeValue>> stored = messagesWithId(wired.tenant(), sent.messageId());
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).get("direction").s()).isEqualTo("agent");
        assertThat(stored.get(0).get("text").s()).isEqualTo("Olá, tudo bem?");
        String bare = sent.messageId().substring(sent.messageId().lastIndexOf('_') + 1);
        // A delivery is recorded once the stack has answered it, a moment after the store shows it.
        await("three deliveries answered", () -> simulator.deliveries().stream().filter(d -> d.body().contains(bare)).count() == 3);
        assertThat(simulator.deliveries()).filteredOn(d -> d.body().contains(bare))
                .hasSize(3).allMatch(d -> d.status() == 200 && d.url().endsWith("/" + wired.sessionId()));
    }

    @Test
    void meta_answers_a_send_with_a_wamid_and_posts_its_signed_statuses_sent_delivered_read() throws Exception {
        Wired wired = wire(Provider.META);
        SendResult sent = wired.client().sendText(LEAD, "Hola", null);
        assertThat(sent.messageId()).startsWith("wamid.");
        assertThat(sent.chat()).isEqualTo("5511987654321");

        await("three statuses accepted", () -> simulator.deliveries().stream()
                .filter(d -> d.body().contains(sent.messageId()) && d.status() == 200).count() == 3);
        assertThat(simulator.deliveries()).filteredOn(d -> d.body().contains(sent.messageId()))
                .allMatch(d -> d.url().endsWith("/" + wired.sessionId()))
                .extracting(d -> d.body().replaceAll(".*\"status\":\"([a-z]+)\".*", "$1"))
                .containsExactly("sent", "delivered", "read");
        // Meta tells of a sent message only by its statuses: storing it is the sender's part (OUTBOUND.md §3).
        assertThat(messagesWithId(wired.tenant(), sent.messageId())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void mark_read_reaches_the_simulator_as_the_gateways_own_call(Provider provider) {
        GatewayClient client = client(provider, simulator.apiKey());
        int before = simulator.calls().size();
        client.markRead(LEAD, List.of("3EB0C767D097B7C7C030"));
        String expected = switch (provider) {
            case EVOLUTION -> "POST /chat/markMessageAsRead/acme-sales";
            case WAHA -> "POST /api/sendSeen";
            case META -> "POST /v23.0/106540352242922/messages";
            case INBOX_HUB -> "POST /api/sessions/sim-bridge/read";
        };
        List<RecordedCall> calls = simulator.calls().subList(before, simulator.calls().size());
        assertThat(calls).extracting(RecordedCall::line).contains(expected);
        assertThat(calls).filteredOn(call -> call.line().equals(expected)).allMatch(call -> call.status() / 100 == 2)
                .allMatch(call -> call.body().contains("3EB0C767D097B7C7C030"));
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void sent_media_is_served_back_by_the_gateways_media_endpoint(Provider provider) {
        GatewayClient client = client(provider, simulator.apiKey());
        SendResult sent = client.sendMedia(LEAD, new OutboundMedia("http://127.0.0.1:" + files.getAddress().getPort() + "/picture.png",
                "image/png", MediaKind.IMAGE, "the house", "picture.png"), null);
        StoredMedia stored = simulator.media(sent.messageId()).orElseThrow();
        MediaReference reference = switch (provider) {
            case META -> new MediaReference(sent.messageId(), null, true, stored.mediaId(), null, null);
            // What the echo's media.url carries: WAHA's own root, rebased by the client onto the session's base URL.
            case WAHA -> new MediaReference(sent.messageId(), sent.chat(), true, null,
                    simulator.url() + "/api/files/default/" + stored.mediaId(), "image/png");
            default -> new MediaReference(sent.messageId(), sent.chat(), true, null, null, null);
        };
        FetchedMedia.Bytes bytes = CLIENTS.download(client, client.fetchMedia(reference), MediaLimits.MAX_PROXY_BYTES);
        assertThat(bytes.data()).isEqualTo(PICTURE);
        assertThat(bytes.contentType()).startsWith("image/png");
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void a_wrong_key_is_refused_with_the_gateways_401(Provider provider) {
        int before = simulator.calls().size();
        assertThatThrownBy(() -> client(provider, "not-the-key").sendText(LEAD, "hi", null))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(GatewayFailure.Kind.UNAUTHORIZED);
                    assertThat(e.failure().httpStatus()).isEqualTo(401);
                });
        RecordedCall call = simulator.calls().get(before);
        assertThat(call.status()).isEqualTo(401);
        assertThat(simulator.deliveries()).noneMatch(d -> d.body().contains("\"hi\""));
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"EVOLUTION", "WAHA", "INBOX_HUB"})
    void registering_the_webhook_through_the_gateways_api_points_the_simulator_at_it(Provider provider) {
        GatewayClient client = client(provider, simulator.apiKey());
        String url = "http://127.0.0.1:9/webhooks/registered-" + provider.wireName();
        assertThat(client.registerWebhook(new WebhookRegistration(url, Credential.of("whsec-" + UUID.randomUUID()), List.of()))
                .registered()).isTrue();
        SimulatedSession session = simulator.session(provider, GATEWAY_SESSION.get(provider)).orElseThrow();
        assertThat(session.webhookUrl()).isEqualTo(url);
        assertThat(session.scheme()).isIn(SignatureKind.EVOLUTION_JWT, SignatureKind.WAHA_HMAC, SignatureKind.HMAC_SHA256_BODY);
    }

    @Test
    void auto_reply_plays_a_lead_who_answers_after_the_receipts() throws Exception {
        try (GatewaySimulator replying = GatewaySimulator.start(0, GatewaySimulator.Options.defaults()
                .withReceiptDelay(Duration.ofMillis(50)).withAutoReply(Duration.ofMillis(400)))) {
            String tenant = "t-" + UUID.randomUUID();
            SessionAdmin.Created created = admin.create(new SessionAdmin.NewSession(tenant, null, "inboxhub", null, null, null, null));
            replying.registerSession(Provider.INBOX_HUB, "sim-bridge", stack.httpUrl() + "/webhooks/" + created.session().sessionId(),
                    created.secret(), SignatureKind.HMAC_SHA256);
            GatewayClient client = CLIENTS.forConnection(new GatewayConnection(Provider.INBOX_HUB, replying.baseUrl(Provider.INBOX_HUB),
                    Credential.of(replying.apiKey()), "sim-bridge", null));
            client.sendText(LEAD, "Can we talk tomorrow?", null);
            await("the lead's answer is stored", () -> stack.dynamo().client()
                    .scanPaginator(r -> r.tableName("MessagesTable").consistentRead(true)).items().stream()
                    .anyMatch(item -> item.get("pk").s().startsWith(tenant + "#") && item.containsKey("direction")
                            && "lead".equals(item.get("direction").s())));
            await("four deliveries answered", () -> replying.deliveries().size() == 4);
            assertThat(replying.deliveries()).hasSize(4).allMatch(d -> d.status() == 200);
        }
    }
}
