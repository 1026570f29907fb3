package io.inboxrelay.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.local.LocalStack;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.eclipse.jetty.websocket.api.Callback;

/**
 * Arbitrary text, JSON and bytes sent through a real WebSocket connection to the local stack's routes
 * ($default, ping, subscribe, resume, status, with hostile fields): no route ever fails (API Gateway's
 * "Internal server error" frame), nothing of another tenant arrives, and the same connection still
 * answers {@code ping} with {@code pong} after every message.
 */
class WebSocketHostileInputProperties {

    private static LocalStack stack;
    private static Browser browser;

    @BeforeContainer
    static void start() throws Exception {
        stack = ReliabilityStack.start();
        browser = new Browser("t-hostile-ws", "fuzzer", () -> ReliabilityStack.socketUrl(stack,
                ReliabilityStack.token("t-hostile-ws", "fuzzer"))).connect();
    }

    @AfterContainer
    static void stop() {
        browser.close();
        stack.close();
    }

    @Property(tries = 200)
    void arbitrary_json_on_any_route_never_fails_a_route_and_the_connection_still_pongs(@ForAll("messages") String message) throws Exception {
        browser.send(message);
        assertStillServing();
    }

    @Property(tries = 100)
    void arbitrary_text_never_fails_a_route_and_the_connection_still_pongs(@ForAll @Size(max = 2048) String text) throws Exception {
        browser.send(text);
        assertStillServing();
    }

    @Property(tries = 100)
    void arbitrary_binary_frames_never_fail_a_route_and_the_connection_still_pongs(@ForAll @Size(max = 4096) byte[] bytes) throws Exception {
        var session = browserSession();
        Callback.Completable sent = new Callback.Completable();
        session.sendBinary(ByteBuffer.wrap(bytes), sent);
        sent.get(5, TimeUnit.SECONDS);
        assertStillServing();
    }

    private static org.eclipse.jetty.websocket.api.Session browserSession() throws Exception {
        var field = Browser.class.getDeclaredField("session");
        field.setAccessible(true);
        return (org.eclipse.jetty.websocket.api.Session) field.get(browser);
    }

    private static void assertStillServing() throws Exception {
        assertThat(browser.isOpen()).as("the connection is still open").isTrue();
        String marker = Long.toString(System.nanoTime());
        browser.send("{\"type\":\"ping\",\"n\":\"" + marker + "\"}");
        JsonNode pong = browser.nextReply("pong", Duration.ofSeconds(10));
        assertThat(pong).as("pong after the hostile message").isNotNull();
        assertThat(browser.internalErrors.get()).as("route failures (Internal server error frames)").isZero();
        assertThat(browser.foreign.get()).isZero();
    }

    @Provide
    Arbitrary<String> messages() {
        Arbitrary<String> value = tree(2);
        return Arbitraries.oneOf(
                tree(3),
                Arbitraries.of("ping", "subscribe", "resume", "status", "$default", "$connect", "$disconnect", "", "PING", "type")
                        .flatMap(type -> Arbitraries.maps(Arbitraries.of("since", "channels", "type", "id", "tenant_id", "connectionId"), value)
                                .ofMaxSize(3).map(fields -> object(type, fields))),
                value.map(since -> "{\"type\":\"resume\",\"since\":" + since + "}"),
                value.map(channels -> "{\"type\":\"subscribe\",\"channels\":" + channels + "}"),
                Arbitraries.strings().ofMaxLength(80).map(since -> "{\"type\":\"resume\",\"since\":" + Json.write(Json.MAPPER.getNodeFactory().textNode(since)) + "}"));
    }

    private static String object(String type, Map<String, String> fields) {
        StringBuilder json = new StringBuilder("{\"type\":").append(Json.write(Json.MAPPER.getNodeFactory().textNode(type)));
        fields.forEach((key, value) -> json.append(',').append(Json.write(Json.MAPPER.getNodeFactory().textNode(key))).append(':').append(value));
        return json.append('}').toString();
    }

    /** JSON text of bounded depth. */
    private static Arbitrary<String> tree(int depth) {
        Arbitrary<String> leaf = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30).map(s -> Json.write(Json.MAPPER.getNodeFactory().textNode(s))),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("null", "true", "false", "{}", "[]", "\"\"", "1.5e300", "-0", "\"messages\"", "\"statuses\"",
                        "\"sessions\"", "\"9999999999999-zzzz\"", "\"0000000000000-0\""));
        if (depth == 0) {
            return leaf;
        }
        return Arbitraries.oneOf(leaf,
                Arbitraries.maps(Arbitraries.strings().ofMaxLength(6), tree(depth - 1)).ofMaxSize(3)
                        .map(fields -> {
                            StringBuilder json = new StringBuilder("{");
                            fields.forEach((k, v) -> json.append(json.length() > 1 ? "," : "")
                                    .append(Json.write(Json.MAPPER.getNodeFactory().textNode(k))).append(':').append(v));
                            return json.append('}').toString();
                        }),
                tree(depth - 1).list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]"));
    }
}
