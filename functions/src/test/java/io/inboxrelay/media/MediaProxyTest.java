package io.inboxrelay.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import com.sun.net.httpserver.HttpServer;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.outbound.Credential;
import io.inboxrelay.core.outbound.GatewayClients;
import io.inboxrelay.core.outbound.GatewayConnection;
import io.inboxrelay.core.outbound.GatewayHttp;
import io.inboxrelay.core.outbound.MediaLimits;
import io.inboxrelay.core.outbound.RetryPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * {@link MediaProxy} over DynamoDB Local and a loopback Inbox Hub gateway: the answers the gateway simulator cannot
 * provoke (a gateway that never answers, a file it no longer has) and the items that are not messages.
 */
class MediaProxyTest {

    private static final byte[] PICTURE = {1, 2, 3, 4};
    private static AmazonDynamoDBLocal local;
    private static DynamoDbClient dynamo;
    private static HttpServer gateway;
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static MediaProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        local = DynamoDBEmbedded.create();
        dynamo = local.dynamoDbClient();
        dynamo.createTable(r -> r.tableName("MessagesTable").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
        gateway = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        gateway.createContext("/api/sessions/hub/messages/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.contains("/SLOW/")) {
                try {
                    RELEASE.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else if (path.contains("/GONE/")) {
                byte[] body = "{\"error\":\"not_found\",\"message\":\"no media for this message\"}".getBytes();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(404, body.length);
                exchange.getResponseBody().write(body);
            } else {
                exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
                exchange.sendResponseHeaders(200, PICTURE.length);
                exchange.getResponseBody().write(PICTURE);
            }
            exchange.close();
        });
        gateway.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        gateway.start();
        GatewayConnection connection = new GatewayConnection(Provider.INBOX_HUB,
                URI.create("http://127.0.0.1:" + gateway.getAddress().getPort()), Credential.of("hub-key"), "hub", null);
        GatewayHttp http = GatewayHttp.create(Duration.ofSeconds(1), Duration.ofSeconds(2), RetryPolicy.NEVER);
        proxy = new MediaProxy(dynamo, "MessagesTable", sessionId -> "s-hub".equals(sessionId) ? Optional.of(connection) : Optional.empty(),
                new GatewayClients(http, MediaLimits.MAX_PROXY_BYTES), MediaLimits.MAX_PROXY_BYTES);
    }

    @AfterAll
    static void stop() {
        RELEASE.countDown();
        gateway.stop(0);
        local.shutdown();
    }

    private static void message(String tenant, String id, String direction, String providerId, Map<String, AttributeValue> media) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS(tenant + "#" + id));
        item.put("messageId", AttributeValue.fromS(id));
        item.put("sessionId", AttributeValue.fromS("s-hub"));
        item.put("direction", AttributeValue.fromS(direction));
        item.put("conversationId", AttributeValue.fromS("5511987654321"));
        item.put("storedAt", AttributeValue.fromN("1764590000000"));
        if (providerId != null) {
            item.put("providerMessageId", AttributeValue.fromS(providerId));
        }
        if (media != null) {
            item.put("media", AttributeValue.fromM(media));
        }
        dynamo.putItem(r -> r.tableName("MessagesTable").item(item));
    }

    private static Map<String, AttributeValue> image(boolean available) {
        return Map.of("type", AttributeValue.fromS("image"), "mimeType", AttributeValue.fromS("image/jpeg"),
                "available", AttributeValue.fromBool(available));
    }

    @Test
    void a_media_link_pointing_inward_is_not_followed_and_nothing_is_requested_from_it() throws Exception {
        // A WAHA media.url is the gateway's word: here it names the Lambda runtime API's port on loopback.
        HttpServer inward = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        inward.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        inward.start();
        try {
            GatewayConnection waha = new GatewayConnection(Provider.WAHA, URI.create("http://127.0.0.1:" + gateway.getAddress().getPort()),
                    Credential.of("waha-key"), "default", null);
            MediaProxy wahaProxy = new MediaProxy(dynamo, "MessagesTable", sessionId -> Optional.of(waha),
                    new GatewayClients(GatewayHttp.create(Duration.ofSeconds(1), Duration.ofSeconds(2), RetryPolicy.NEVER),
                            MediaLimits.MAX_PROXY_BYTES), MediaLimits.MAX_PROXY_BYTES);
            Map<String, AttributeValue> media = new HashMap<>(image(true));
            media.put("url", AttributeValue.fromS("http://127.0.0.1:" + inward.getAddress().getPort() + "/2018-06-01/runtime/invocation/next"));
            message("t1", "INWARD", "lead", "false_5511987654321@c.us_INWARD", media);

            assertThat(wahaProxy.fetch("t1", "INWARD")).isInstanceOfSatisfying(MediaOutcome.Refused.class, refused -> {
                assertThat(refused.status()).isEqualTo(502);
                assertThat(refused.code()).isEqualTo("gateway_error");
                assertThat(refused.message()).contains("does not follow").doesNotContain("runtime");
            });
            assertThat(requests.get()).isZero();
        } finally {
            inward.stop(0);
        }
    }

    @Test
    void a_gateway_that_does_not_answer_in_time_is_a_504() {
        message("t1", "SLOW", "lead", "SLOW", image(true));
        assertThat(proxy.fetch("t1", "SLOW")).isInstanceOfSatisfying(MediaOutcome.Refused.class, refused -> {
            assertThat(refused.status()).isEqualTo(504);
            assertThat(refused.code()).isEqualTo("gateway_timeout");
        });
    }

    @Test
    void a_file_the_gateway_no_longer_has_is_unavailable_in_its_words() {
        message("t1", "GONE", "lead", "GONE", image(true));
        assertThat(proxy.fetch("t1", "GONE")).isInstanceOfSatisfying(MediaOutcome.Refused.class, refused -> {
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.code()).isEqualTo("media_unavailable");
            assertThat(refused.message()).contains("no media for this message");
        });
    }

    @Test
    void media_the_gateway_has_not_downloaded_is_unavailable_without_asking_it() {
        message("t1", "PENDING", "lead", "PENDING", image(false));
        assertThat(proxy.fetch("t1", "PENDING")).isInstanceOfSatisfying(MediaOutcome.Refused.class, refused -> {
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.message()).contains("has not downloaded it");
        });
    }

    @Test
    void a_reply_the_gateway_has_not_acknowledged_is_unavailable_until_it_is_sent() {
        message("t1", "out-client-2", "agent", null, image(true));
        assertThat(proxy.fetch("t1", "out-client-2")).isInstanceOfSatisfying(MediaOutcome.Refused.class, refused -> {
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.message()).contains("has not acknowledged this reply yet");
        });
    }

    @Test
    void a_gateway_id_standing_for_a_sent_message_serves_that_messages_media() {
        message("t1", "out-client-1", "agent", "3EB0AAAA", image(true));
        dynamo.putItem(r -> r.tableName("MessagesTable").item(Map.of("pk", AttributeValue.fromS("t1#3EB0AAAA"),
                "aliasFor", AttributeValue.fromS("out-client-1"), "tenantId", AttributeValue.fromS("t1"))));
        assertThat(proxy.fetch("t1", "3EB0AAAA")).isInstanceOfSatisfying(MediaOutcome.Served.class, served -> {
            assertThat(served.data()).isEqualTo(PICTURE);
            assertThat(served.contentType()).isEqualTo("image/jpeg");
        });
    }

    @Test
    void a_text_message_a_change_marker_or_an_id_with_a_key_separator_is_not_found() {
        message("t1", "TEXT", "lead", "TEXT", null);
        dynamo.putItem(r -> r.tableName("MessagesTable").item(Map.of("pk", AttributeValue.fromS("t1#change#c1"),
                "changeOf", AttributeValue.fromS("TEXT"), "media", AttributeValue.fromM(image(true)))));
        for (String id : new String[] {"TEXT", "change#c1", "", "x".repeat(300)}) {
            assertThat(proxy.fetch("t1", id)).as(id).isEqualTo(new MediaOutcome.Refused(404, "not_found", "no such message with media"));
        }
        message("t2", "OTHER", "lead", "OTHER", image(true));
        assertThat(proxy.fetch("t1", "OTHER")).isEqualTo(proxy.fetch("t1", "NOPE"));
    }
}
