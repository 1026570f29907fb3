package io.inboxrelay.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.outbound.Credential;
import io.inboxrelay.core.outbound.GatewayClients;
import io.inboxrelay.core.outbound.GatewayConnection;
import io.inboxrelay.core.outbound.RegistrationResult;
import io.inboxrelay.core.outbound.WebhookRegistration;
import io.inboxrelay.core.signature.WebhookSigner;
import io.inboxrelay.store.ConnectionStore;
import io.inboxrelay.store.DynamoSessionRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code sessions connect} and {@code sessions test}: registers the session's webhook URL and secret at its gateway
 * with the session's stored credential, then proves the path by posting a signed status event in the provider's own
 * format to the webhook URL (no gateway has a "send a test webhook" call in common) and reporting what the webhook
 * answered, how many of the tenant's browsers are connected, and the round trip.
 *
 * <p>Needs the session's secrets opened: the registry given here must open them (the right to decrypt).
 */
public final class GatewayConnect {

    /** The signature each gateway produces once registered, so the session must check that one. */
    private static final java.util.Map<Provider, Set<SignatureKind>> SIGNED_AS = java.util.Map.of(
            Provider.EVOLUTION, Set.of(SignatureKind.EVOLUTION_JWT),
            Provider.WAHA, Set.of(SignatureKind.WAHA_HMAC),
            Provider.INBOX_HUB, Set.of(SignatureKind.HMAC_SHA256, SignatureKind.HMAC_SHA256_BODY));

    private final DynamoSessionRegistry registry;
    private final ConnectionStore connections;
    private final GatewayClients clients;
    private final HttpClient http;
    private final Clock clock;

    public GatewayConnect(DynamoSessionRegistry registry, ConnectionStore connections, GatewayClients clients, HttpClient http,
            Clock clock) {
        this.registry = registry;
        this.connections = connections;
        this.clients = clients;
        this.http = http;
        this.clock = clock;
    }

    /** Registration at the gateway, then the proof (when the registration took effect). */
    public Outcome connect(String sessionId, String publicBase) {
        Session session = session(sessionId);
        String url = webhookUrl(publicBase, sessionId);
        if (session.provider() == Provider.META) {
            return new Outcome(url, RegistrationResult.notSupported(metaSteps(url)), null);
        }
        requireSignedAsRegistered(session);
        GatewayConnection connection = registry.gatewayConnection(sessionId).orElseThrow(() -> new IllegalArgumentException(
                "session '" + sessionId + "' has no gateway credentials: set them first with sessions credentials"
                        + " --session " + sessionId + " --base-url URL --api-key -"));
        RegistrationResult registration = clients.forConnection(connection)
                .registerWebhook(new WebhookRegistration(url, Credential.of(secret(session)), List.of()));
        return new Outcome(url, registration, registration.registered() ? prove(session, url, connection.gatewaySession()) : null);
    }

    /** The proof alone: a signed status event posted to the webhook URL. */
    public Outcome test(String sessionId, String publicBase) {
        Session session = session(sessionId);
        String url = webhookUrl(publicBase, sessionId);
        if (session.provider() == Provider.META) {
            throw new IllegalArgumentException("a Meta session's path is proved from the Meta app dashboard: WhatsApp >"
                    + " Configuration > Webhook fields > messages > Test (Meta signs with the app secret, which only Meta holds"
                    + " besides this stack)");
        }
        requireSignedAsRegistered(session);
        String gatewaySession = session.gateway() == null || session.gateway().gatewaySession() == null
                ? sessionId : session.gateway().gatewaySession();
        return new Outcome(url, null, prove(session, url, gatewaySession));
    }

    private Session session(String sessionId) {
        Session session = registry.find(sessionId).orElseThrow(() -> new IllegalArgumentException("no session '" + sessionId + "'"));
        if (!session.enabled()) {
            throw new IllegalArgumentException("session '" + sessionId + "' is disabled: enable it first (its webhooks are refused 404)");
        }
        return session;
    }

    private static void requireSignedAsRegistered(Session session) {
        Set<SignatureKind> produced = SIGNED_AS.get(session.provider());
        if (!produced.contains(session.signature())) {
            throw new IllegalArgumentException("session '" + session.sessionId() + "' checks " + session.signature().wireName()
                    + ", but a webhook registered at " + session.provider().wireName() + " is signed "
                    + produced.stream().map(SignatureKind::wireName).sorted().findFirst().orElseThrow()
                    + ": register a session with that signature");
        }
    }

    private static String secret(Session session) {
        if (session.secrets().isEmpty()) {
            throw new IllegalArgumentException("the webhook secret of session '" + session.sessionId() + "' could not be opened"
                    + " (a key that does not open it, or no right to decrypt)");
        }
        return session.secrets().get(0);
    }

    static String webhookUrl(String publicBase, String sessionId) {
        if (publicBase == null || publicBase.isBlank()) {
            throw new IllegalArgumentException("the public webhook base URL is required (the stack's WebhookBaseUrl output)");
        }
        URI base = URI.create(publicBase.trim());
        if (base.getScheme() == null || base.getHost() == null
                || !(base.getScheme().equals("https") || base.getScheme().equals("http"))) {
            throw new IllegalArgumentException("the public webhook base must be an http(s) URL: " + publicBase);
        }
        String text = base.toString().replaceAll("/+$", "");
        if (text.endsWith("/webhooks")) {
            text = text.substring(0, text.length() - "/webhooks".length());
        }
        return text + "/webhooks/" + sessionId;
    }

    static String metaSteps(String url) {
        return "Meta's Cloud API cannot set a webhook: in the Meta app dashboard open WhatsApp > Configuration, set Callback URL "
                + url + " and Verify token to the verify token this session was added with (stored as a digest: it cannot be shown"
                + " again), press Verify and save, subscribe the messages field, and subscribe the app to the WhatsApp Business"
                + " Account (POST /{waba-id}/subscribed_apps); then send the messages field's Test from the same page";
    }

    private Proof prove(Session session, String url, String gatewaySession) {
        byte[] body = testEvent(session.provider(), session.sessionId(), gatewaySession, clock.instant())
                .getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json").header("User-Agent", "inbox-relay-connect-test")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        WebhookSigner.sign(session.signature(), secret(session), body, clock.instant()).forEach(request::header);
        long started = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            return new Proof(0, "unreachable", "the webhook URL did not answer: " + e.getMessage(), browsers(session),
                    elapsed(started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Proof(0, "interrupted", "interrupted while waiting for the webhook", browsers(session), elapsed(started));
        }
        long millis = elapsed(started);
        JsonNode answer;
        try {
            answer = Json.parse(response.body() == null || response.body().isBlank() ? "{}" : response.body());
        } catch (IllegalArgumentException notJson) {
            // Something other than this stack answered (a proxy, a wrong base URL): its status tells enough.
            answer = Json.object();
        }
        String outcome = response.statusCode() < 300 ? answer.path("status").asText("accepted") : answer.path("error").asText("refused");
        String message = answer.path("message").isMissingNode() ? null : answer.path("message").asText();
        return new Proof(response.statusCode(), outcome, message, browsers(session), millis);
    }

    private int browsers(Session session) {
        return connections.forTenant(session.tenantId()).size();
    }

    private static long elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }

    /** A "the session is connected" status event in the provider's own format, unique so it is stored, not a duplicate. */
    static String testEvent(Provider provider, String sessionId, String gatewaySession, Instant now) {
        String id = UUID.randomUUID().toString();
        ObjectNode event = Json.object();
        switch (provider) {
            case EVOLUTION -> {
                event.put("event", "connection.update").put("instance", gatewaySession);
                event.putObject("data").put("instance", gatewaySession).put("state", "open").put("statusReason", 200);
                event.put("date_time", now.toString()).put("sender", "inbox-relay-connect-test-" + id);
            }
            case WAHA -> {
                event.put("id", "evt_inboxrelay_test_" + id.replace("-", "")).put("timestamp", now.toEpochMilli())
                        .put("event", "session.status").put("session", gatewaySession);
                event.putObject("payload").put("name", gatewaySession).put("status", "WORKING");
            }
            case INBOX_HUB -> {
                event.put("event", "session.connected").put("sessionId", sessionId).put("id", "inboxrelay-test-" + id);
                event.putObject("data").put("timestamp", now.toString());
                event.put("timestamp", now.toString());
            }
            case META -> throw new IllegalArgumentException("Meta events are proved from the app dashboard");
        }
        return Json.write(event);
    }

    /**
     * @param webhookUrl   the URL registered (and posted to)
     * @param registration what the gateway did, or null for a test alone
     * @param proof        the signed test event's result, or null when not posted (Meta, or a registration not made)
     */
    public record Outcome(String webhookUrl, RegistrationResult registration, Proof proof) {

        /** True when the registration (if any) took effect and the test event was accepted. */
        public boolean ok() {
            return (registration == null || registration.registered()) && proof != null && proof.accepted();
        }

        public ObjectNode toJson() {
            ObjectNode node = Json.object().put("webhook_url", webhookUrl);
            if (registration != null) {
                node.putObject("registration").put("registered", registration.registered()).put("detail", registration.detail());
            }
            if (proof != null) {
                node.putObject("proof").put("http_status", proof.httpStatus()).put("outcome", proof.outcome())
                        .put("message", proof.message()).put("browsers", proof.browsers()).put("round_trip_ms", proof.millis());
            }
            return node.put("ok", ok());
        }
    }

    /**
     * @param httpStatus the webhook's status (0: no answer)
     * @param outcome    {@code stored}, {@code duplicate}, or the refusal's code ({@code bad_signature}, ...)
     * @param browsers   the tenant's connected browsers, which the event was pushed to
     * @param millis     the round trip of the signed post
     */
    public record Proof(int httpStatus, String outcome, String message, int browsers, long millis) {

        public boolean accepted() {
            return httpStatus >= 200 && httpStatus < 300;
        }
    }
}
