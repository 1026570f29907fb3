package io.inboxrelay.realtime;

import static io.inboxrelay.realtime.RealtimeFixtures.SECRET;
import static io.inboxrelay.realtime.RealtimeFixtures.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
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
import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.auth.JwtTokenVerifier;
import io.inboxrelay.core.auth.TokenMinter;
import io.inboxrelay.handler.WsAuthorizerHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code $connect} authorizer from the {@code events/websocket} fixtures, with HS256 tokens and
 * RS256 tokens whose keys come from a JWKS URL served over HTTP.
 */
class AuthorizerIntegrationTest {

    private static final String ISSUER = "https://id.crm.example.com/";
    private static final String AUDIENCE = "inbox-relay";

    private static HttpServer jwks;
    private static RSAKey rsa;
    private static WsAuthorizerHandler hsOnly;
    private static WsAuthorizerHandler rsOnly;
    private static WsAuthorizerHandler both;

    @BeforeAll
    static void start() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("key-1").generate();
        byte[] keys = new JWKSet(rsa.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/.well-known/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, keys.length);
            exchange.getResponseBody().write(keys);
            exchange.close();
        });
        jwks.start();
        String jwksUrl = "http://127.0.0.1:" + jwks.getAddress().getPort() + "/.well-known/jwks.json";
        hsOnly = new WsAuthorizerHandler(JwtTokenVerifier.fromSettings(SECRET, null, null, null, "tenant_id"));
        rsOnly = new WsAuthorizerHandler(JwtTokenVerifier.fromSettings(null, jwksUrl, ISSUER, AUDIENCE, "org"));
        both = new WsAuthorizerHandler(JwtTokenVerifier.fromSettings(SECRET, jwksUrl, ISSUER, AUDIENCE, "tenant_id"));
    }

    @AfterAll
    static void stop() {
        jwks.stop(0);
    }

    @Test
    void a_valid_token_in_the_query_string_is_allowed_with_tenant_and_user_in_the_context() {
        IamPolicyResponseV1 policy = hsOnly.handleRequest(queryEvent(new TokenMinter(SECRET).mint("tenant-a", "agent-7", Duration.ofMinutes(5))), null);

        assertThat(effect(policy)).isEqualTo("Allow");
        assertThat(policy.getContext()).containsEntry("tenantId", "tenant-a").containsEntry("userId", "agent-7");
        assertThat(resource(policy)).isEqualTo("arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/production/$connect");
    }

    @Test
    void a_valid_token_offered_as_a_subprotocol_is_allowed() {
        APIGatewayCustomAuthorizerEvent event = load("websocket/authorizer-protocol-token.json", APIGatewayCustomAuthorizerEvent.class);
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("Sec-WebSocket-Protocol", "inbox-relay, " + new TokenMinter(SECRET).mint("tenant-a", "agent-7", Duration.ofMinutes(5)));
        event.setHeaders(headers);

        assertThat(effect(hsOnly.handleRequest(event, null))).isEqualTo("Allow");
    }

    @Test
    void a_token_for_another_tenant_than_the_one_asked_for_is_denied() {
        IamPolicyResponseV1 policy = hsOnly.handleRequest(queryEvent(new TokenMinter(SECRET).mint("tenant-b", "agent-7", Duration.ofMinutes(5))), null);

        assertThat(effect(policy)).isEqualTo("Deny");
    }

    @Test
    void missing_expired_not_yet_valid_and_badly_signed_tokens_are_unauthorized() {
        Clock anHourAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        Clock inAnHour = Clock.fixed(Instant.now().plus(Duration.ofHours(1)), ZoneOffset.UTC);
        List<String> refused = List.of(
                "",
                "not-a-jwt",
                new TokenMinter(SECRET).clock(anHourAgo).mint("tenant-a", "agent-7", Duration.ofMinutes(5)),
                new TokenMinter(SECRET).clock(inAnHour).mint("tenant-a", "agent-7", Duration.ofMinutes(5)),
                new TokenMinter("another-secret-that-is-long-enough-too").mint("tenant-a", "agent-7", Duration.ofMinutes(5)));

        assertThat(refused).allSatisfy(token -> assertThatThrownBy(() -> hsOnly.handleRequest(queryEvent(token), null))
                .isInstanceOf(WsAuthorizerHandler.Unauthorized.class).hasMessage("Unauthorized"));
    }

    @Test
    void an_unsigned_alg_none_token_is_unauthorized() {
        String none = new PlainJWT(claims("tenant_id").build()).serialize();

        assertThatThrownBy(() -> both.handleRequest(queryEvent(none), null)).isInstanceOf(WsAuthorizerHandler.Unauthorized.class);
    }

    @Test
    void an_rs256_token_from_the_jwks_issuer_is_allowed() throws Exception {
        IamPolicyResponseV1 policy = rsOnly.handleRequest(queryEvent(rs256(claims("org").issuer(ISSUER).audience(AUDIENCE))), null);

        assertThat(effect(policy)).isEqualTo("Allow");
        assertThat(policy.getContext()).containsEntry("tenantId", "tenant-a");
    }

    @Test
    void an_hs256_token_keyed_with_the_issuers_public_rsa_key_is_unauthorized() throws Exception {
        // The HS/RS confusion attack: HMAC over the token with the public key bytes as the secret.
        byte[] publicKey = rsa.toRSAPublicKey().getEncoded();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("key-1").build(),
                claims("org").issuer(ISSUER).audience(AUDIENCE).build());
        forged.sign(new MACSigner(publicKey));
        String pem = rsa.toPublicJWK().toJSONString();
        SignedJWT forgedWithJwk = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims("org").issuer(ISSUER).audience(AUDIENCE).build());
        forgedWithJwk.sign(new MACSigner(pem.getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> rsOnly.handleRequest(queryEvent(forged.serialize()), null)).isInstanceOf(WsAuthorizerHandler.Unauthorized.class);
        assertThatThrownBy(() -> rsOnly.handleRequest(queryEvent(forgedWithJwk.serialize()), null)).isInstanceOf(WsAuthorizerHandler.Unauthorized.class);
    }

    @Test
    void an_rs256_token_is_unauthorized_where_only_the_shared_secret_is_configured() throws Exception {
        String token = rs256(claims("tenant_id"));

        assertThatThrownBy(() -> hsOnly.handleRequest(queryEvent(token), null)).isInstanceOf(WsAuthorizerHandler.Unauthorized.class);
    }

    @Test
    void a_token_of_another_issuer_or_audience_is_unauthorized() throws Exception {
        String wrongIssuer = rs256(claims("org").issuer("https://evil.example.com/").audience(AUDIENCE));
        String wrongAudience = rs256(claims("org").issuer(ISSUER).audience("another-app"));
        String noAudience = rs256(claims("org").issuer(ISSUER));

        assertThat(List.of(wrongIssuer, wrongAudience, noAudience)).allSatisfy(token ->
                assertThatThrownBy(() -> rsOnly.handleRequest(queryEvent(token), null)).isInstanceOf(WsAuthorizerHandler.Unauthorized.class));
    }

    private static JWTClaimsSet.Builder claims(String tenantClaim) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject("agent-7").claim(tenantClaim, "tenant-a")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
    }

    private static String rs256(JWTClaimsSet.Builder claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("key-1").build(), claims.build());
        jwt.sign(new RSASSASigner(rsa));
        return jwt.serialize();
    }

    private static APIGatewayCustomAuthorizerEvent queryEvent(String token) {
        APIGatewayCustomAuthorizerEvent event = load("websocket/authorizer-query-token.json", APIGatewayCustomAuthorizerEvent.class);
        Map<String, String> query = new HashMap<>(event.getQueryStringParameters());
        query.put("token", token);
        event.setQueryStringParameters(query);
        return event;
    }

    private static String effect(IamPolicyResponseV1 policy) {
        return statement(policy).path("Effect").asText();
    }

    private static String resource(IamPolicyResponseV1 policy) {
        JsonNode resource = statement(policy).path("Resource");
        return resource.isArray() ? resource.get(0).asText() : resource.asText();
    }

    /** The policy as API Gateway reads it (JSON). */
    private static JsonNode statement(IamPolicyResponseV1 policy) {
        return Json.MAPPER.valueToTree(policy.getPolicyDocument()).path("Statement").get(0);
    }
}
