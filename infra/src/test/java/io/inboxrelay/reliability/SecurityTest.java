package io.inboxrelay.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.inboxrelay.admin.SessionAdmin;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.auth.TokenMinter;
import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.signature.TokenDigest;
import io.inboxrelay.local.LocalSecret;
import io.inboxrelay.secrets.SecretsCipher;
import io.inboxrelay.secrets.SecretsCiphers;
import io.inboxrelay.store.DynamoSessionRegistry;
import io.inboxrelay.store.SessionItems;
import java.util.HashMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import io.inboxrelay.local.LocalStack;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import static org.awaitility.Awaitility.await;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks through the local stack's real front doors: the WebSocket upgrade (with HS256 and an
 * RS256 issuer's JWKS both configured, as a deployment may) and the webhook route. Every refusal is
 * the documented status, nothing is stored for a refused webhook, and the logs of it all hold no
 * token and no secret.
 */
class SecurityTest {

    private static final String TENANT_A = "t-sec-a";
    private static final String TENANT_B = "t-sec-b";

    private static final String ISSUER = "https://idp.example.com/";
    private static final String AUDIENCE = "inbox-relay";

    private static HttpServer jwks;
    private static FakeSecretsManager secretsManager;
    private static RSAKey issuerKey;
    private static LocalStack stack;
    private static CapturedLogs logs;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        issuerKey = new RSAKeyGenerator(2048).keyID("issuer-key").generate();
        byte[] keys = new JWKSet(issuerKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/jwks.json", exchange -> {
            exchange.sendResponseHeaders(200, keys.length);
            exchange.getResponseBody().write(keys);
            exchange.close();
        });
        jwks.start();
        // Read by the authorizer when it starts, like the JWKS_URL, JwtIssuer and JwtAudience parameters in AWS.
        System.setProperty("JWKS_URL", "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json");
        System.setProperty("JWT_ISSUER", ISSUER);
        System.setProperty("JWT_AUDIENCE", AUDIENCE);
        // The HS256 secret as in AWS: only its ARN in the environment, read from Secrets Manager (a
        // stand-in speaking its protocol) at the first token; no cache, so a rotation acts at once.
        secretsManager = FakeSecretsManager.start(ReliabilityStack.JWT_SECRET);
        System.setProperty("JWT_SECRET_ARN", FakeSecretsManager.ARN);
        System.setProperty("SECRETSMANAGER_ENDPOINT", secretsManager.endpoint());
        System.setProperty("JWT_SECRET_CACHE_SECONDS", "0");
        logs = new CapturedLogs();
        logs.forbid(ReliabilityStack.JWT_SECRET);
        stack = ReliabilityStack.start(LocalStack.Options.ephemeral(null));
        gateway = new Gateway(stack.httpUrl(), Executors.newFixedThreadPool(2), 1);
    }

    @AfterAll
    static void stop() {
        try {
            assertThat(logs.lines()).isPositive();
            assertThat(logs.violations()).as("log lines with a token or secret").isEmpty();
        } finally {
            stack.close();
            logs.close();
            jwks.stop(0);
            secretsManager.close();
            for (String name : List.of("JWKS_URL", "JWT_ISSUER", "JWT_AUDIENCE", "JWT_SECRET_ARN", "SECRETSMANAGER_ENDPOINT", "JWT_SECRET_CACHE_SECONDS")) {
                System.clearProperty(name);
            }
        }
    }

    // ------------------------------------------------------------------ the WebSocket upgrade

    /** 101 when the upgrade succeeds, else the HTTP status it was refused with. */
    private static int upgrade(String query) throws Exception {
        URI url = URI.create(stack.webSocketUrl() + (query.isEmpty() ? "" : "?" + query));
        try {
            Browser browser = new Browser(TENANT_A, "probe", () -> url).connect();
            browser.close();
            return 101;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpgradeException refused) {
                return refused.getResponseStatusCode();
            }
            throw e;
        }
    }

    private static String token(String token) {
        logs.forbid(token);
        return "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    private static JWTClaimsSet.Builder claims(String tenant) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject("agent-1").claim("tenant_id", tenant).issuer(ISSUER).audience(AUDIENCE)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)));
    }

    private static String rs256(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("issuer-key").build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /** What the CRM's backend mints: HS256 with the deployment's issuer and audience. */
    private static TokenMinter minter(String secret) {
        return new TokenMinter(secret).issuer(ISSUER).audience(AUDIENCE);
    }

    @Test
    void forged_expired_premature_and_cross_tenant_tokens_are_refused_at_the_upgrade_and_good_ones_pass() throws Exception {
        TokenMinter minter = minter(ReliabilityStack.JWT_SECRET);
        SignedJWT confused = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("issuer-key").build(), claims(TENANT_A).build());
        confused.sign(new MACSigner(issuerKey.toRSAPublicKey().getEncoded()));
        SignedJWT confusedWithJwk = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims(TENANT_A).build());
        confusedWithJwk.sign(new MACSigner(issuerKey.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));
        Clock anHourAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        Clock inAnHour = Clock.fixed(Instant.now().plus(Duration.ofHours(1)), ZoneOffset.UTC);

        Map<String, String> attempts = new LinkedHashMap<>();
        attempts.put("no token", "");
        attempts.put("alg none", token(new PlainJWT(claims(TENANT_A).build()).serialize()));
        attempts.put("HS256 keyed with the issuer's public key (DER)", token(confused.serialize()));
        attempts.put("HS256 keyed with the issuer's public JWK", token(confusedWithJwk.serialize()));
        attempts.put("RS256 from another key under the issuer's kid", token(rs256(new RSAKeyGenerator(2048).generate(), claims(TENANT_A).build())));
        attempts.put("HS256 with another secret", token(minter("another-secret-another-secret-0123456789").mint(TENANT_A, "a", Duration.ofMinutes(5))));
        attempts.put("expired", token(minter.clock(anHourAgo).mint(TENANT_A, "a", Duration.ofMinutes(5))));
        attempts.put("not yet valid", token(minter.clock(inAnHour).mint(TENANT_A, "a", Duration.ofMinutes(5))));
        attempts.put("tenant A token asking for tenant B", token(minter.mint(TENANT_A, "a", Duration.ofMinutes(5))) + "&tenant_id=" + TENANT_B);
        attempts.put("tenant A token asking for tenant A", token(minter.mint(TENANT_A, "a", Duration.ofMinutes(5))) + "&tenant_id=" + TENANT_A);
        attempts.put("RS256 from the issuer", token(rs256(issuerKey, claims(TENANT_A).build())));

        Map<String, Integer> answered = new LinkedHashMap<>();
        for (Map.Entry<String, String> attempt : attempts.entrySet()) {
            answered.put(attempt.getKey(), upgrade(attempt.getValue()));
        }
        Report report = new Report("WebSocket upgrade attacks");
        answered.forEach(report::row);
        report.print();

        assertThat(answered).containsExactly(
                Map.entry("no token", 401),
                Map.entry("alg none", 401),
                Map.entry("HS256 keyed with the issuer's public key (DER)", 401),
                Map.entry("HS256 keyed with the issuer's public JWK", 401),
                Map.entry("RS256 from another key under the issuer's kid", 401),
                Map.entry("HS256 with another secret", 401),
                Map.entry("expired", 401),
                Map.entry("not yet valid", 401),
                Map.entry("tenant A token asking for tenant B", 403),
                Map.entry("tenant A token asking for tenant A", 101),
                Map.entry("RS256 from the issuer", 101));
        assertThat(ReliabilityStack.connectionIds(stack, TENANT_B)).isEmpty();
    }

    // ------------------------------------------------------------------ tokens and sockets (issue 13: 1, 2, 3, 10)

    /** A browser-like socket (java.net.http: one {@code Sec-WebSocket-Protocol} line, as browsers send). */
    private static final class Socket implements WebSocket.Listener {
        final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket webSocket;

        /** 101 (open; the socket is kept) or the status the upgrade was refused with. */
        static Object open(String query, String... subprotocols) throws Exception {
            Socket socket = new Socket();
            WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20));
            if (subprotocols.length > 0) {
                for (String protocol : subprotocols) {
                    if (!"inbox-relay".equals(protocol)) {
                        logs.forbid(protocol);
                    }
                }
                builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
            }
            URI url = URI.create(stack.webSocketUrl() + (query.isEmpty() ? "" : "?" + query));
            try {
                socket.webSocket = builder.buildAsync(url, socket).get(30, TimeUnit.SECONDS);
                return socket;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof WebSocketHandshakeException refused) {
                    return refused.getResponse().statusCode();
                }
                throw e;
            }
        }

        static Socket connected(String query) throws Exception {
            Object opened = open(query);
            assertThat(opened).as("upgrade").isInstanceOf(Socket.class);
            return (Socket) opened;
        }

        void send(String text) {
            webSocket.sendText(text, true).join();
        }

        /** The next message of the type (others skipped), or null after the timeout. */
        JsonNode next(String type, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode message = messages.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                if (message != null && type.equals(message.path("type").asText())) {
                    return message;
                }
            }
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(Json.parse(partial.toString()));
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
        }
    }

    private static void report(String title, Map<String, ?> rows) {
        Report report = new Report(title);
        rows.forEach(report::row);
        report.print();
    }

    private static int upgradeStatus(String query, String... subprotocols) throws Exception {
        Object opened = Socket.open(query, subprotocols);
        if (opened instanceof Socket socket) {
            socket.webSocket.sendClose(1000, "bye");
            return 101;
        }
        return (Integer) opened;
    }

    @Test
    void the_jwt_secret_comes_from_secrets_manager_by_arn_and_during_rotations_only_the_two_newest_versions_pass() throws Exception {
        String second = "rotated-secret-number-two-0123456789-abcdefgh";
        String third = "rotated-secret-number-three-0123456789-abcdefg";
        logs.forbid(second);
        logs.forbid(third);
        String first = minter(ReliabilityStack.JWT_SECRET).mint(TENANT_A, "a", Duration.ofMinutes(5));
        Map<String, Integer> answered = new LinkedHashMap<>();
        try {
            answered.put("v1 while v1 is current", upgrade(token(first)));
            secretsManager.rotate(second);
            answered.put("v1 after one rotation (previous)", upgrade(token(first)));
            answered.put("v2 after one rotation (current)", upgrade(token(minter(second).mint(TENANT_A, "a", Duration.ofMinutes(5)))));
            secretsManager.rotate(third);
            answered.put("v1 after two rotations", upgrade(token(first)));
            answered.put("v2 after two rotations (previous)", upgrade(token(minter(second).mint(TENANT_A, "a", Duration.ofMinutes(5)))));
            answered.put("v3 after two rotations (current)", upgrade(token(minter(third).mint(TENANT_A, "a", Duration.ofMinutes(5)))));
        } finally {
            secretsManager.reset(ReliabilityStack.JWT_SECRET);
        }
        report("JWT secret rotation", answered);

        assertThat(answered).containsExactly(
                Map.entry("v1 while v1 is current", 101),
                Map.entry("v1 after one rotation (previous)", 101),
                Map.entry("v2 after one rotation (current)", 101),
                Map.entry("v1 after two rotations", 401),
                Map.entry("v2 after two rotations (previous)", 101),
                Map.entry("v3 after two rotations (current)", 101));
        assertThat(secretsManager.requests).isNotEmpty()
                .allSatisfy(request -> assertThat(request).startsWith(FakeSecretsManager.ARN + " AWS"))
                .anySatisfy(request -> assertThat(request).endsWith("AWSPREVIOUS"));
        // The secret is nowhere in the functions' environment: only its ARN (TemplateTest holds the template to that).
        assertThat(System.getProperty("JWT_SECRET")).isNull();
        assertThat(System.getProperty("JWT_SECRET_ARN")).isEqualTo(FakeSecretsManager.ARN);
        assertThat(stack.function("WsAuthorizerFunction").spec().environment()).doesNotContainKey("JWT_SECRET");
    }

    @Test
    void an_identity_providers_token_for_another_application_or_too_long_lived_is_refused_and_an_oidc_access_token_passes() throws Exception {
        Instant now = Instant.now();
        Map<String, Integer> answered = new LinkedHashMap<>();
        answered.put("RS256 for another audience", upgrade(token(rs256(issuerKey, claims(TENANT_A).audience("another-app").build()))));
        answered.put("RS256 without an audience", upgrade(token(rs256(issuerKey, claims(TENANT_A).audience((String) null).build()))));
        answered.put("RS256 of another issuer", upgrade(token(rs256(issuerKey, claims(TENANT_A).issuer("https://evil.example.com/").build()))));
        answered.put("RS256 without an issuer", upgrade(token(rs256(issuerKey, claims(TENANT_A).issuer(null).build()))));
        SignedJWT accessToken = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("issuer-key")
                .type(new com.nimbusds.jose.JOSEObjectType("at+jwt")).build(), claims(TENANT_A).build());
        accessToken.sign(new RSASSASigner(issuerKey));
        answered.put("RS256 OIDC access token (typ at+jwt)", upgrade(token(accessToken.serialize())));
        answered.put("RS256 living 25 h", upgrade(token(rs256(issuerKey, claims(TENANT_A)
                .expirationTime(Date.from(now.plus(Duration.ofHours(25)))).build()))));
        answered.put("HS256 living 25 h", upgrade(token(minter(ReliabilityStack.JWT_SECRET).mint(TENANT_A, "a", Duration.ofHours(25)))));
        answered.put("HS256 living 24 h", upgrade(token(minter(ReliabilityStack.JWT_SECRET).mint(TENANT_A, "a", Duration.ofHours(24)))));
        report("Issuer, audience, type and lifetime", answered);

        assertThat(answered).containsExactly(
                Map.entry("RS256 for another audience", 401),
                Map.entry("RS256 without an audience", 401),
                Map.entry("RS256 of another issuer", 401),
                Map.entry("RS256 without an issuer", 401),
                Map.entry("RS256 OIDC access token (typ at+jwt)", 101),
                Map.entry("RS256 living 25 h", 401),
                Map.entry("HS256 living 25 h", 401),
                Map.entry("HS256 living 24 h", 101));
    }

    @Test
    void a_socket_does_not_outlive_its_token_ping_status_resume_and_the_fan_out_close_it_after_a_token_expired_error() throws Exception {
        String tenant = "t-sec-expiry";
        TokenMinter minter = minter(ReliabilityStack.JWT_SECRET);
        Duration ttl = Duration.ofSeconds(4);
        Instant expires = Instant.now().plus(ttl);
        Map<String, Socket> expiring = new LinkedHashMap<>();
        for (String route : List.of("ping", "status", "resume", "fan-out")) {
            expiring.put(route, Socket.connected(token(minter.mint(tenant, route, ttl))));
        }
        Socket valid = Socket.connected(token(minter.mint(tenant, "valid", Duration.ofHours(1))));
        assertThat(ReliabilityStack.connectionIds(stack, tenant)).hasSize(5);
        // Before exp: answered as ever.
        expiring.get("ping").send("{\"type\":\"ping\"}");
        assertThat(expiring.get("ping").next("pong", Duration.ofSeconds(20))).isNotNull();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> Instant.now().isAfter(expires.plusSeconds(1)));
        expiring.get("ping").send("{\"type\":\"ping\"}");
        expiring.get("status").send("{\"type\":\"status\"}");
        expiring.get("resume").send("{\"type\":\"resume\",\"since\":\"" + String.format("%013d-0000000000", System.currentTimeMillis()) + "\"}");
        GatewaySession session = session(tenant, Provider.INBOX_HUB, List.of(), true);
        byte[] body = session.message(1, 1, Instant.now());
        assertThat(gateway.postAndWait(session.sessionId(), body, session.sign(body, Instant.now())).status()).isEqualTo(200);

        Map<String, String> seen = new LinkedHashMap<>();
        for (Map.Entry<String, Socket> socket : expiring.entrySet()) {
            JsonNode error = socket.getValue().next("error", Duration.ofSeconds(30));
            Integer close = socket.getValue().closed.get(30, TimeUnit.SECONDS);
            seen.put(socket.getKey(), (error == null ? "no error" : error.path("code").asText()) + ", close " + close);
            assertThat(socket.getValue().messages).as("what %s got besides", socket.getKey())
                    .noneMatch(m -> m.has("tenant_id") || List.of("pong", "status", "resumed").contains(m.path("type").asText()));
        }
        report("Sockets past their token's exp", seen);
        assertThat(seen).containsExactly(
                Map.entry("ping", "token_expired, close 1000"),
                Map.entry("status", "token_expired, close 1000"),
                Map.entry("resume", "token_expired, close 1000"),
                Map.entry("fan-out", "token_expired, close 1000"));
        // The socket with a valid token got the event, and only it is still registered.
        assertThat(valid.next("new_message", Duration.ofSeconds(30))).isNotNull();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ReliabilityStack.connectionIds(stack, tenant)).hasSize(1));
        assertThat(valid.closed).isNotDone();
        valid.webSocket.sendClose(1000, "bye");
    }

    @Test
    void a_token_offered_as_the_only_subprotocol_is_refused_and_only_inbox_relay_is_ever_echoed() throws Exception {
        String good = minter(ReliabilityStack.JWT_SECRET).mint(TENANT_A, "a", Duration.ofMinutes(5));
        logs.forbid(good);

        Object withProtocol = Socket.open("", "inbox-relay", good);
        assertThat(withProtocol).isInstanceOf(Socket.class);
        assertThat(((Socket) withProtocol).webSocket.getSubprotocol()).isEqualTo("inbox-relay");
        ((Socket) withProtocol).webSocket.sendClose(1000, "bye");

        Map<String, Integer> answered = new LinkedHashMap<>();
        answered.put("token as the only subprotocol", upgradeStatus("", good));
        answered.put("token before inbox-relay", upgradeStatus("", good, "inbox-relay"));
        answered.put("inbox-relay and the token", upgradeStatus("", "inbox-relay", good));
        answered.put("query token, no subprotocol", upgradeStatus(token(good)));
        report("Subprotocol offers", answered);

        assertThat(answered).containsExactly(
                Map.entry("token as the only subprotocol", 401),
                Map.entry("token before inbox-relay", 101),
                Map.entry("inbox-relay and the token", 101),
                Map.entry("query token, no subprotocol", 101));
    }

    // ------------------------------------------------------------------ the webhook route

    private static GatewaySession session(String tenant, Provider provider, List<String> cidrs, boolean enabled) {
        GatewaySession session = GatewaySession.register(ReliabilityStack.registry(stack), tenant, provider, cidrs, enabled);
        logs.forbid(session.secret());
        return session;
    }

    private static int stored(String tenant) {
        return ReliabilityStack.storedMessages(stack).getOrDefault(tenant, Map.of()).size();
    }

    @Test
    void a_signed_webhook_replayed_outside_the_window_is_refused_and_inside_it_is_a_duplicate() {
        GatewaySession session = session("t-sec-replay", Provider.INBOX_HUB, List.of(), true);
        Instant now = Instant.now();
        byte[] body = session.message(1, 1, now);
        Map<String, String> headers = session.sign(body, now);
        Instant stale = now.minus(Duration.ofMinutes(10));
        byte[] old = session.message(2, 1, stale);
        Instant early = now.plus(Duration.ofMinutes(10));

        assertThat(gateway.postAndWait(session.sessionId(), body, headers)).extracting(Gateway.Answer::status, Gateway.Answer::outcome)
                .containsExactly(200, "stored");
        assertThat(gateway.postAndWait(session.sessionId(), body, headers)).extracting(Gateway.Answer::status, Gateway.Answer::outcome)
                .containsExactly(200, "duplicate");
        assertThat(gateway.postAndWait(session.sessionId(), old, session.sign(old, stale)).status()).isEqualTo(401);
        assertThat(gateway.postAndWait(session.sessionId(), old, session.sign(old, early)).status()).isEqualTo(401);
        assertThat(stored("t-sec-replay")).isEqualTo(1);
    }

    @Test
    void a_body_over_six_megabytes_is_refused_413_whether_its_length_is_declared_or_streamed() throws Exception {
        GatewaySession session = session("t-sec-size", Provider.INBOX_HUB, List.of(), true);
        byte[] huge = new byte[6 * 1024 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        URI url = stack.httpUrl().resolve("/webhooks/" + session.sessionId());
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest.Builder declared = HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(huge));
        session.sign(huge, Instant.now()).forEach(declared::header);
        HttpRequest.Builder streamed = HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(huge)));
        session.sign(huge, Instant.now()).forEach(streamed::header);

        assertThat(http.send(declared.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(413);
        assertThat(http.send(streamed.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(413);
        assertThat(stored("t-sec-size")).isZero();
    }

    @Test
    void a_source_outside_the_sessions_allowlist_is_refused_403_even_with_a_forged_forwarded_for() {
        GatewaySession session = session("t-sec-cidr", Provider.WAHA, List.of("10.20.0.0/16"), true);
        Instant now = Instant.now();
        byte[] body = session.message(1, 1, now);
        Map<String, String> forged = new LinkedHashMap<>(session.sign(body, now));
        forged.put("X-Forwarded-For", "10.20.1.1");

        assertThat(gateway.postAndWait(session.sessionId(), body, session.sign(body, now)).status()).isEqualTo(403);
        assertThat(gateway.postAndWait(session.sessionId(), body, forged).status()).isEqualTo(403);
        assertThat(stored("t-sec-cidr")).isZero();
    }

    @Test
    void a_disabled_session_is_answered_404_and_stores_nothing_until_it_is_enabled_again() {
        GatewaySession session = session("t-sec-disabled", Provider.META, List.of(), false);
        Instant now = Instant.now();
        byte[] body = session.message(1, 1, now);

        assertThat(gateway.postAndWait(session.sessionId(), body, session.sign(body, now)).status()).isEqualTo(404);
        assertThat(stored("t-sec-disabled")).isZero();
        new SessionAdmin(ReliabilityStack.registry(stack), Clock.systemUTC()).setEnabled(session.sessionId(), true);
        assertThat(gateway.postAndWait(session.sessionId(), body, session.sign(body, now)).status()).isEqualTo(200);
        assertThat(stored("t-sec-disabled")).isEqualTo(1);
    }

    // ------------------------------------------------------------------ rotation and diagnostics (issue 13, items 6 and 7)

    private static byte[] inboxHubMessage(String id) {
        long at = Instant.now().getEpochSecond();
        return ("{\"event\":\"message.received\",\"timestamp\":" + at + ",\"message\":{\"id\":\"" + id
                + "\",\"from\":\"+573001234567\",\"text\":\"hi\",\"timestamp\":" + at + "}}").getBytes(StandardCharsets.UTF_8);
    }

    private static int postSigned(String sessionId, String secret, byte[] body) {
        return gateway.postAndWait(sessionId, body,
                io.inboxrelay.core.signature.WebhookSigner.sign(SignatureKind.HMAC_SHA256, secret, body, Instant.now())).status();
    }

    @Test
    void a_leaked_secret_revoked_by_rotation_is_refused_at_once_and_a_weak_secret_is_never_registered() {
        SessionAdmin admin = new SessionAdmin(ReliabilityStack.registry(stack), Clock.systemUTC());
        SessionAdmin.Created created = admin.create(new SessionAdmin.NewSession("t-sec-revoke", null, "inboxhub", null, null, null, List.of()));
        String sessionId = created.session().sessionId();
        logs.forbid(created.secret());
        assertThat(postSigned(sessionId, created.secret(), inboxHubMessage("REV1"))).isEqualTo(200);

        SessionAdmin.Created rotated = admin.rotate(sessionId, null, true);
        logs.forbid(rotated.secret());

        assertThat(postSigned(sessionId, created.secret(), inboxHubMessage("REV2"))).as("the leaked secret").isEqualTo(401);
        assertThat(postSigned(sessionId, rotated.secret(), inboxHubMessage("REV3"))).isEqualTo(200);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> admin.create(new SessionAdmin.NewSession("t-sec-weak", "hub-weak",
                        "inboxhub", null, "guessable", null, List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 32 bytes");
        assertThat(ReliabilityStack.registry(stack).find("hub-weak")).isEmpty();
    }

    @Test
    void forged_webhooks_are_counted_but_never_paint_the_sessions_health() {
        GatewaySession session = session("t-sec-paint", Provider.INBOX_HUB, List.of(), true);
        for (int i = 0; i < 3; i++) {
            assertThat(postSigned(session.sessionId(), "an-attackers-guess-0123456789abcdef", inboxHubMessage("F" + i))).isEqualTo(401);
        }
        Session forged = ReliabilityStack.registry(stack).find(session.sessionId()).orElseThrow();
        assertThat(forged.lastWebhookAt()).isNull();
        assertThat(forged.lastRejection()).isNull();
        assertThat(forged.refusals().get("bad_signature").count()).isEqualTo(1);

        Instant now = Instant.now();
        byte[] body = session.message(1, 1, now);
        assertThat(gateway.postAndWait(session.sessionId(), body, session.sign(body, now)).status()).isEqualTo(200);
        assertThat(postSigned(session.sessionId(), "an-attackers-guess-0123456789abcdef", inboxHubMessage("F9"))).isEqualTo(401);

        Session healthy = ReliabilityStack.registry(stack).find(session.sessionId()).orElseThrow();
        assertThat(healthy.lastSuccessAt()).isNotNull();
        assertThat(healthy.lastWebhookAt()).isEqualTo(healthy.lastSuccessAt());
        assertThat(healthy.lastRejection()).as("a forged request after a success leaves it healthy").isNull();
        assertThat(stored("t-sec-paint")).isEqualTo(1);
    }

    // ------------------------------------------------------------------ the local stack on the network (issue 13, item 4)

    /** Addresses of this machine that are not the one DynamoDB Local may listen on: 127.0.0.2 and every non-loopback IPv4. */
    private static List<InetAddress> otherAddresses() throws IOException {
        List<InetAddress> addresses = new ArrayList<>(List.of(InetAddress.getByName("127.0.0.2")));
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                Collections.list(nic.getInetAddresses()).stream().filter(a -> a instanceof Inet4Address).forEach(addresses::add);
            }
        }
        return addresses;
    }

    private static boolean accepts(InetAddress address, int port) throws IOException {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (ConnectException refused) {
            return false;
        }
    }

    /** One raw HTTP/1.1 request (so Host can be anything); the status code of the answer. */
    private static int rawStatus(int port, String requestHead, String body) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write((requestHead + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }

    @Test
    void dynamodb_local_listens_on_loopback_only_and_refuses_browsers_and_rebound_host_names() throws Exception {
        int port = stack.dynamo().port();
        assertThat(accepts(InetAddress.getByName("127.0.0.1"), port)).isTrue();
        for (InetAddress other : otherAddresses()) {
            assertThat(accepts(other, port)).as("DynamoDB Local reachable on %s:%d", other.getHostAddress(), port).isFalse();
        }
        String listTables = "{}";
        String head = "POST / HTTP/1.1\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n"
                + "Authorization: AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00\r\n";
        assertThat(rawStatus(port, head + "Host: 127.0.0.1:" + port + "\r\n", listTables)).as("a local process").isEqualTo(200);
        assertThat(rawStatus(port, head + "Host: 127.0.0.1:" + port + "\r\nOrigin: http://attacker.example\r\n", listTables))
                .as("a web page in the developer's browser").isEqualTo(403);
        assertThat(rawStatus(port, head + "Host: attacker.example:" + port + "\r\n", listTables))
                .as("a DNS-rebound host name").isEqualTo(403);
    }

    @Test
    void local_data_is_owner_only_when_made_and_repaired_when_found_readable(@TempDir Path root) throws Exception {
        Path fresh = root.resolve("fresh").resolve(".local-data");
        String secret = LocalSecret.stored(fresh.resolve("jwt-secret"));
        assertThat(secret).hasSize(64);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh.resolve("jwt-secret")))).isEqualTo("rw-------");

        // What a checkout made before this fix holds: a world-readable directory and secret.
        Path old = root.resolve("old").resolve(".local-data");
        Files.createDirectories(old, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(old.resolve("jwt-secret"), "an-old-secret-0123456789\n");
        Files.setPosixFilePermissions(old.resolve("jwt-secret"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(LocalSecret.stored(old.resolve("jwt-secret"))).isEqualTo("an-old-secret-0123456789");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(old))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(old.resolve("jwt-secret")))).isEqualTo("rw-------");
    }

    private static HttpResponse<String> admin(String path, String contentType, String origin, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(stack.httpUrl().resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void local_admin_routes_refuse_cross_origin_and_form_requests_and_serve_the_cli_and_the_pages_own_origin() throws Exception {
        String own = "http://127.0.0.1:" + stack.httpPort();
        String json = "application/json";
        String create = "{\"tenant_id\":\"t-sec-admin\",\"provider\":\"waha\"}";
        GatewaySession victim = session("t-sec-admin", Provider.WAHA, List.of(), true);
        String disable = "/admin/sessions/" + victim.sessionId() + "/disable";

        Map<String, Integer> answered = new LinkedHashMap<>();
        answered.put("JSON from another origin", admin("/admin/sessions", json, "http://attacker.example", create).statusCode());
        answered.put("form POST from another origin", admin(disable, "application/x-www-form-urlencoded", "http://attacker.example", "a=b").statusCode());
        answered.put("text/plain without an origin", admin(disable, "text/plain", null, create).statusCode());
        answered.put("multipart from the page's own origin", admin(disable, "multipart/form-data; boundary=x", own, "--x--").statusCode());
        answered.put("another port of localhost", admin(disable, json, "http://localhost:1", "{}").statusCode());
        answered.put("opaque origin (sandboxed frame, file:)", admin(disable, json, "null", "{}").statusCode());
        answered.put("a DNS-rebound host name", rawStatus(stack.httpPort(), "POST " + disable + " HTTP/1.1\r\nHost: attacker.example:"
                + stack.httpPort() + "\r\nContent-Type: application/json\r\n", "{}"));
        answered.put("JSON without an origin (the CLI, curl)", admin("/admin/sessions", json, null, create).statusCode());
        answered.put("JSON from the page's own origin", admin("/admin/sessions", json, own, create).statusCode());
        Report report = new Report("local admin routes");
        answered.forEach(report::row);
        report.print();

        assertThat(answered).containsExactly(
                Map.entry("JSON from another origin", 403),
                Map.entry("form POST from another origin", 403),
                Map.entry("text/plain without an origin", 403),
                Map.entry("multipart from the page's own origin", 403),
                Map.entry("another port of localhost", 403),
                Map.entry("opaque origin (sandboxed frame, file:)", 403),
                Map.entry("a DNS-rebound host name", 403),
                Map.entry("JSON without an origin (the CLI, curl)", 201),
                Map.entry("JSON from the page's own origin", 201));
        assertThat(ReliabilityStack.registry(stack).find(victim.sessionId()).orElseThrow().enabled()).isTrue();
        assertThat(ReliabilityStack.registry(stack).listByTenant("t-sec-admin")).hasSize(3);
    }

    // ------------------------------------------------------------------ session secrets at rest (issue 13, item 5)

    /** A session registered through the local admin route, as an operator would: its id and the secret shown once. */
    private static GatewaySession registerThroughAdmin(String tenant, Provider provider, SignatureKind signature, String secret,
                                                       String verifyToken) throws Exception {
        var body = Json.object().put("tenant_id", tenant).put("provider", provider.wireName()).put("signature", signature.wireName());
        if (secret != null) {
            body.put("secret", secret);
        }
        if (verifyToken != null) {
            body.put("verify_token", verifyToken);
            logs.forbid(verifyToken);
        }
        HttpResponse<String> created = admin("/admin/sessions", "application/json", null, Json.write(body));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode answer = Json.parse(created.body());
        logs.forbid(answer.path("secret").asText());
        return new GatewaySession(tenant, answer.path("session_id").asText(), provider, signature, answer.path("secret").asText());
    }

    private static Map<String, AttributeValue> rawSession(String sessionId) {
        return stack.dynamo().client().getItem(r -> r.tableName("SessionsTable").consistentRead(true)
                .key(Map.of(SessionItems.SESSION_ID, AttributeValue.fromS(sessionId)))).item();
    }

    /** Every string and every binary value of the item, as UTF-8 text (the secret must appear in none). */
    private static String everyValue(Map<String, AttributeValue> item) {
        StringBuilder all = new StringBuilder();
        item.values().forEach(value -> appendValue(all, value));
        return all.toString();
    }

    private static void appendValue(StringBuilder all, AttributeValue value) {
        if (value.s() != null) {
            all.append(value.s()).append('\n');
        }
        if (value.b() != null) {
            all.append(new String(value.b().asByteArray(), StandardCharsets.ISO_8859_1)).append('\n');
        }
        if (value.hasL()) {
            value.l().forEach(v -> appendValue(all, v));
        }
        if (value.hasSs()) {
            value.ss().forEach(v -> all.append(v).append('\n'));
        }
        if (value.hasM()) {
            value.m().values().forEach(v -> appendValue(all, v));
        }
    }

    private int post(GatewaySession session, int n) {
        Instant now = Instant.now();
        byte[] body = session.message(n, 1, now);
        return gateway.postAndWait(session.sessionId(), body, session.sign(body, now)).status();
    }

    private static int handshake(String sessionId, String verifyToken) throws Exception {
        URI url = stack.httpUrl().resolve("/webhooks/" + sessionId + "?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token="
                + URLEncoder.encode(verifyToken, StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void session_secrets_are_sealed_at_rest_tokens_kept_as_digests_and_webhooks_still_verify() throws Exception {
        String token = "static-token-" + UUID.randomUUID() + UUID.randomUUID();
        String verifyToken = "meta-verify-" + UUID.randomUUID();
        GatewaySession hmac = registerThroughAdmin("t-sec-sealed", Provider.INBOX_HUB, SignatureKind.HMAC_SHA256, null, null);
        GatewaySession statics = registerThroughAdmin("t-sec-sealed", Provider.INBOX_HUB, SignatureKind.STATIC_TOKEN, token, null);
        GatewaySession meta = registerThroughAdmin("t-sec-sealed", Provider.META, SignatureKind.META, null, verifyToken);

        for (GatewaySession session : List.of(hmac, statics, meta)) {
            Map<String, AttributeValue> item = rawSession(session.sessionId());
            assertThat(item).as("raw item of %s", session.signature()).doesNotContainKey(SessionItems.SECRETS).containsKey(SessionItems.SEALED_SECRETS);
            assertThat(item.get(SessionItems.SEALED_SECRETS).l()).hasSize(1).allSatisfy(envelope -> assertThat(envelope.b()).isNotNull());
            assertThat(everyValue(item)).as("what SessionsTable holds for %s", session.signature()).doesNotContain(session.secret());
        }
        // A static token is sealed as its digest: even opened, the item never gives the token away.
        SecretsCipher local = SecretsCiphers.fromEnv();
        byte[] opened = local.open(rawSession(statics.sessionId()).get(SessionItems.SEALED_SECRETS).l().get(0).b().asByteArray(),
                Map.of("tenantId", "t-sec-sealed", "sessionId", statics.sessionId()));
        assertThat(new String(opened, StandardCharsets.UTF_8)).isEqualTo(TokenDigest.of(token)).doesNotContain(token);
        assertThat(rawSession(meta.sessionId()).get(SessionItems.VERIFY_TOKEN).s()).isEqualTo(TokenDigest.of(verifyToken));
        assertThat(everyValue(rawSession(meta.sessionId()))).doesNotContain(verifyToken);

        assertThat(post(hmac, 1)).isEqualTo(200);
        assertThat(post(statics, 1)).isEqualTo(200);
        assertThat(post(meta, 1)).isEqualTo(200);
        assertThat(handshake(meta.sessionId(), verifyToken)).isEqualTo(200);
        assertThat(handshake(meta.sessionId(), TokenDigest.of(verifyToken))).as("the stored digest is no token").isEqualTo(403);
        assertThat(stored("t-sec-sealed")).isEqualTo(3);
    }

    @Test
    void a_sealed_secret_copied_to_another_session_does_not_open_there() throws Exception {
        GatewaySession a = registerThroughAdmin("t-sec-copy-a", Provider.WAHA, SignatureKind.WAHA_HMAC, null, null);
        GatewaySession b = registerThroughAdmin("t-sec-copy-b", Provider.WAHA, SignatureKind.WAHA_HMAC, null, null);
        AttributeValue sealedOfA = rawSession(a.sessionId()).get(SessionItems.SEALED_SECRETS);
        stack.dynamo().client().updateItem(r -> r.tableName("SessionsTable")
                .key(Map.of(SessionItems.SESSION_ID, AttributeValue.fromS(b.sessionId())))
                .updateExpression("SET #s = :s").expressionAttributeNames(Map.of("#s", SessionItems.SEALED_SECRETS))
                .expressionAttributeValues(Map.of(":s", sealedOfA)));
        GatewaySession bSignedWithAsSecret = new GatewaySession(b.tenantId(), b.sessionId(), b.provider(), b.signature(), a.secret());

        assertThat(post(bSignedWithAsSecret, 1)).isEqualTo(401);
        assertThat(post(a, 1)).isEqualTo(200);
        assertThat(stored("t-sec-copy-b")).isZero();
    }

    @Test
    void a_session_stored_in_plain_text_before_sealing_still_verifies_and_its_next_write_seals_it() throws Exception {
        String tenant = "t-sec-legacy";
        List<GatewaySession> legacy = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String secret = "legacy-secret-" + UUID.randomUUID() + UUID.randomUUID();
            logs.forbid(secret);
            GatewaySession session = new GatewaySession(tenant, "s-legacy-" + UUID.randomUUID(), Provider.INBOX_HUB, SignatureKind.HMAC_SHA256, secret);
            Map<String, AttributeValue> item = new HashMap<>();
            item.put(SessionItems.SESSION_ID, AttributeValue.fromS(session.sessionId()));
            item.put(SessionItems.TENANT_ID, AttributeValue.fromS(tenant));
            item.put(SessionItems.PROVIDER, AttributeValue.fromS("inboxhub"));
            item.put(SessionItems.SIGNATURE, AttributeValue.fromS(SignatureKind.HMAC_SHA256.wireName()));
            item.put(SessionItems.SECRETS, AttributeValue.fromL(List.of(AttributeValue.fromS(secret))));
            item.put(SessionItems.ENABLED, AttributeValue.fromBool(true));
            item.put(SessionItems.CREATED_AT, AttributeValue.fromN("1700000000000"));
            stack.dynamo().client().putItem(r -> r.tableName("SessionsTable").item(item));
            legacy.add(session);
        }
        GatewaySession rotated = legacy.get(0);
        assertThat(post(rotated, 1)).as("a plain-text item is read as it is").isEqualTo(200);

        HttpResponse<String> rotation = admin("/admin/sessions/" + rotated.sessionId() + "/rotate", "application/json", null, "{}");
        assertThat(rotation.statusCode()).isEqualTo(200);
        String fresh = Json.parse(rotation.body()).path("secret").asText();
        logs.forbid(fresh);
        Map<String, AttributeValue> after = rawSession(rotated.sessionId());
        assertThat(after).doesNotContainKey(SessionItems.SECRETS);
        assertThat(after.get(SessionItems.SEALED_SECRETS).l()).hasSize(2);
        assertThat(everyValue(after)).doesNotContain(rotated.secret()).doesNotContain(fresh);
        assertThat(post(rotated, 2)).as("the previous secret, sealed by the rotation, still verifies").isEqualTo(200);
        assertThat(post(new GatewaySession(tenant, rotated.sessionId(), rotated.provider(), rotated.signature(), fresh), 3)).isEqualTo(200);

        // Every other plain-text item at once: `sessions seal`.
        assertThat(ReliabilityStack.registry(stack).sealPlainSecrets()).isEqualTo(1);
        assertThat(rawSession(legacy.get(1).sessionId())).doesNotContainKey(SessionItems.SECRETS);
        assertThat(everyValue(rawSession(legacy.get(1).sessionId()))).doesNotContain(legacy.get(1).secret());
        assertThat(post(legacy.get(1), 1)).isEqualTo(200);
        assertThat(stored(tenant)).isEqualTo(4);
    }

    @Test
    void the_tenant_index_holds_no_secret_and_still_serves_the_admin_listing() throws Exception {
        GatewaySession session = registerThroughAdmin("t-sec-index", Provider.META, SignatureKind.META, null, "verify-" + UUID.randomUUID());
        List<Map<String, AttributeValue>> indexed = stack.dynamo().client().query(r -> r.tableName("SessionsTable")
                .indexName(SessionItems.TENANT_INDEX).keyConditionExpression("tenantId = :t")
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromS("t-sec-index")))).items();
        assertThat(indexed).hasSize(1);
        assertThat(indexed.get(0)).doesNotContainKeys(SessionItems.SECRET_ATTRIBUTES.toArray(String[]::new))
                .containsKeys(SessionItems.PROVIDER, SessionItems.ENABLED, SessionItems.CREATED_AT);
        assertThat(everyValue(indexed.get(0))).doesNotContain(session.secret());

        HttpResponse<String> listing = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                stack.httpUrl().resolve("/admin/sessions?tenant_id=t-sec-index")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(listing.statusCode()).isEqualTo(200);
        JsonNode listed = Json.parse(listing.body()).path("sessions").get(0);
        assertThat(listed.path("session_id").asText()).isEqualTo(session.sessionId());
        assertThat(listed.path("provider").asText()).isEqualTo("meta");
        assertThat(listed.path("enabled").asBoolean()).isTrue();
        assertThat(listed.path("created_at").asText()).isNotBlank();
    }

    @Test
    void gateway_credentials_are_sealed_never_listed_never_projected_and_out_of_the_webhooks_reach() throws Exception {
        GatewaySession session = registerThroughAdmin("t-sec-gw", Provider.WAHA, SignatureKind.WAHA_HMAC, null, null);
        String key = "waha-key-" + UUID.randomUUID();
        logs.forbid(key);
        String path = "/admin/sessions/" + session.sessionId() + "/gateway";

        HttpResponse<String> refused = put(path, Json.write(Json.object().put("base_url", "http://waha.example.com").put("api_key", key)));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(Json.parse(refused.body()).path("message").asText()).contains("must be https");
        HttpResponse<String> set = put(path, Json.write(Json.object().put("base_url", "https://waha.example.com").put("api_key", key)));
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(set.body()).doesNotContain(key);
        assertThat(Json.parse(set.body()).path("gateway").path("has_credential").asBoolean()).isTrue();

        Map<String, AttributeValue> item = rawSession(session.sessionId());
        assertThat(item).containsKey(SessionItems.SEALED_GATEWAY_CREDENTIAL);
        assertThat(everyValue(item)).doesNotContain(key);
        List<Map<String, AttributeValue>> indexed = stack.dynamo().client().query(r -> r.tableName("SessionsTable")
                .indexName(SessionItems.TENANT_INDEX).keyConditionExpression("tenantId = :t")
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromS("t-sec-gw")))).items();
        assertThat(indexed.get(0)).doesNotContainKey(SessionItems.SEALED_GATEWAY_CREDENTIAL).containsKey(SessionItems.GATEWAY_BASE_URL);
        HttpResponse<String> listing = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                stack.httpUrl().resolve("/admin/sessions?tenant_id=t-sec-gw")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(listing.body()).doesNotContain(key).contains("\"base_url\":\"https://waha.example.com\"");
        assertThat(SessionItems.SECRET_ATTRIBUTES).contains(SessionItems.SEALED_GATEWAY_CREDENTIAL);
        assertThat(SessionItems.WEBHOOK_WRITES).doesNotContain(SessionItems.SEALED_GATEWAY_CREDENTIAL, SessionItems.GATEWAY_BASE_URL,
                SessionItems.GATEWAY_SESSION, SessionItems.GATEWAY_API_VERSION, SessionItems.GATEWAY_CREDENTIAL_SET);
        // The webhook path itself leaves them alone: a signed webhook changes none of them.
        assertThat(post(session, 1)).isEqualTo(200);
        Map<String, AttributeValue> after = rawSession(session.sessionId());
        for (String attribute : List.of(SessionItems.SEALED_GATEWAY_CREDENTIAL, SessionItems.GATEWAY_BASE_URL, SessionItems.GATEWAY_CREDENTIAL_SET)) {
            assertThat(after.get(attribute)).as(attribute).isEqualTo(item.get(attribute));
        }
    }

    private static HttpResponse<String> put(String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(stack.httpUrl().resolve(path))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // ------------------------------------------------------------------ IAM to the attribute (issue 13, item 8)

    @Test
    void the_admin_path_seals_and_rotates_without_ever_opening_a_secret() {
        SecretsCipher local = SecretsCiphers.fromEnv();
        SecretsCipher sealOnly = new SecretsCipher() {
            @Override
            public byte[] seal(byte[] plaintext, Map<String, String> context) {
                return local.seal(plaintext, context);
            }

            @Override
            public byte[] open(byte[] envelope, Map<String, String> context) {
                throw new AssertionError("the admin role may not decrypt");
            }
        };
        DynamoSessionRegistry adminRegistry = new DynamoSessionRegistry(stack.dynamo().client(), "SessionsTable", sealOnly, false);
        SessionAdmin admin = new SessionAdmin(adminRegistry, Clock.systemUTC());
        SessionAdmin.Created created = admin.create(new SessionAdmin.NewSession("t-sec-seal-only", null, "waha", null, null, null, List.of()));
        SessionAdmin.Created rotated = admin.rotate(created.session().sessionId(), null);
        admin.setEnabled(created.session().sessionId(), true);
        logs.forbid(created.secret());
        logs.forbid(rotated.secret());
        String id = created.session().sessionId();

        assertThat(post(new GatewaySession("t-sec-seal-only", id, Provider.WAHA, SignatureKind.WAHA_HMAC, created.secret()), 1)).isEqualTo(200);
        assertThat(post(new GatewaySession("t-sec-seal-only", id, Provider.WAHA, SignatureKind.WAHA_HMAC, rotated.secret()), 2)).isEqualTo(200);
    }

    @Test
    void what_the_webhook_writes_to_a_session_is_within_the_attributes_its_role_may_update() throws Exception {
        GatewaySession session = registerThroughAdmin("t-sec-attrs", Provider.INBOX_HUB, SignatureKind.HMAC_SHA256, null, null);
        Map<String, AttributeValue> before = rawSession(session.sessionId());
        Instant now = Instant.now();
        byte[] state = ("{\"event\":\"session.connected\",\"sessionId\":\"" + session.sessionId() + "\",\"data\":{\"phoneNumber\":\"34657032985\","
                + "\"timestamp\":\"" + now + "\"},\"timestamp\":\"" + now + "\"}").getBytes(StandardCharsets.UTF_8);

        assertThat(gateway.postAndWait(session.sessionId(), state, session.sign(state, now)).status()).isEqualTo(200);
        assertThat(post(session, 1)).isEqualTo(200);
        byte[] body = session.message(2, 1, now);
        assertThat(gateway.postAndWait(session.sessionId(), body, session.signBadly(body, now)).status()).isEqualTo(401);
        Map<String, AttributeValue> after = rawSession(session.sessionId());

        java.util.Set<String> changed = new java.util.TreeSet<>();
        before.forEach((name, value) -> {
            if (!value.equals(after.get(name))) {
                changed.add(name);
            }
        });
        after.keySet().stream().filter(name -> !before.containsKey(name)).forEach(changed::add);
        assertThat(changed).as("attributes the webhook changed").contains(SessionItems.STATE, SessionItems.LAST_SUCCESS_AT)
                .isSubsetOf(SessionItems.WEBHOOK_WRITES);
    }
}
