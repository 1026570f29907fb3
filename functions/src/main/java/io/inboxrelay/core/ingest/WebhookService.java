package io.inboxrelay.core.ingest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.GatewayEvent;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.MessageChange;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.SessionUpdate;
import io.inboxrelay.core.StatusUpdate;
import io.inboxrelay.core.WebhookRejection;
import io.inboxrelay.core.WebhookRequest;
import io.inboxrelay.core.identity.AliasStore;
import io.inboxrelay.core.identity.IdentityResolver;
import io.inboxrelay.core.ingest.InboxStore.StoreOutcome;
import io.inboxrelay.core.net.CidrAllowlist;
import io.inboxrelay.core.provider.MalformedWebhookException;
import io.inboxrelay.core.provider.ParsedWebhook;
import io.inboxrelay.core.provider.ProviderAdapters;
import io.inboxrelay.core.signature.SignatureSchemes;
import io.inboxrelay.core.signature.TokenDigest;
import io.inboxrelay.core.signature.Verification;
import java.util.HashMap;
import java.util.Map;
import io.inboxrelay.observability.Metrics;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * The webhook endpoint's logic, free of Lambda types: find the session, check where the request
 * comes from and its signature over the raw bytes, parse it with the session's provider adapter,
 * and store each event exactly once. Bad input is answered 4xx and stores nothing; only our own
 * failures (DynamoDB unavailable) surface as exceptions, which the handler answers 503 so the
 * gateway retries.
 */
public final class WebhookService {

    /** Lambda's synchronous payload cap; API Gateway refuses more, and so do we. */
    public static final int MAX_BODY_BYTES = 6 * 1024 * 1024;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WebhookService.class);

    private final SessionRegistry sessions;
    private final InboxStore store;
    private final IdentityResolver identities;

    public WebhookService(SessionRegistry sessions, InboxStore store, AliasStore aliases) {
        this.sessions = sessions;
        this.store = store;
        this.identities = new IdentityResolver(aliases);
    }

    public WebhookResponse handle(WebhookRequest request, Metrics metrics) {
        metrics.count("WebhooksReceived");
        WebhookResponse response = answer(request, metrics);
        if (response.isRejection()) {
            metrics.count("WebhooksRejected");
            metrics.count("WebhooksRejected." + response.outcome());
        } else {
            switch (response.outcome()) {
                case "stored" -> metrics.count("WebhooksStored");
                case "duplicate" -> metrics.count("WebhooksDuplicate");
                case "ignored" -> metrics.count("WebhooksIgnored");
                default -> metrics.count("WebhooksVerified");
            }
        }
        return response;
    }

    private WebhookResponse answer(WebhookRequest request, Metrics metrics) {
        Optional<Session> found = request.sessionId() == null ? Optional.empty() : sessions.find(request.sessionId());
        WebhookResponse response = answer(request, found);
        if (response.isRejection() && response.status() < 500 && request.sessionId() != null) {
            // A cached session may predate a rotated secret, a new allowlist or re-enabling: ask once more.
            Optional<Session> fresh = sessions.findFresh(request.sessionId());
            if (!fresh.equals(found)) {
                found = fresh;
                response = answer(request, fresh);
            }
        }
        if (found.isPresent() && found.get().enabled()) {
            record(found.get(), request, response);
        }
        return response;
    }

    /** Health for what proved its origin; a counter for what did not (and for refused Meta changes). */
    private void record(Session session, WebhookRequest request, WebhookResponse response) {
        if (response.isRejection() && response.rejection().unauthenticated()) {
            sessions.recordRefusal(session, request.receivedAt(), response.rejection());
            return;
        }
        sessions.recordWebhook(session, request.receivedAt(), response.isRejection() ? response.rejection() : null);
        if (response.refusal() != null) {
            sessions.recordRefusal(session, request.receivedAt(), response.refusal());
        }
    }

    private WebhookResponse answer(WebhookRequest request, Optional<Session> found) {
        if (found.isEmpty() || !found.get().enabled()) {
            return WebhookResponse.rejected(404, "unknown_session",
                    "no enabled session '" + request.sessionId() + "': register it with the sessions tool first");
        }
        Session session = found.get();
        MDC.put("tenantId", session.tenantId());
        return "GET".equalsIgnoreCase(request.method())
                ? verifyHandshake(session, request)
                : receive(session, request);
    }

    /** Meta's subscription handshake: echo the challenge when the verify token matches. */
    private static WebhookResponse verifyHandshake(Session session, WebhookRequest request) {
        String mode = request.queryParam("hub.mode");
        String token = request.queryParam("hub.verify_token");
        String challenge = request.queryParam("hub.challenge");
        if (!"subscribe".equals(mode) || token == null || challenge == null) {
            return WebhookResponse.rejected(400, "bad_handshake",
                    "expected hub.mode=subscribe, hub.verify_token and hub.challenge query parameters");
        }
        // The registry keeps the verify token's digest (an item written before keeps the token itself).
        if (!TokenDigest.matches(session.verifyToken(), token)) {
            return WebhookResponse.rejected(403, "bad_verify_token", "hub.verify_token does not match the session's verify token");
        }
        return WebhookResponse.challenge(challenge);
    }

    private WebhookResponse receive(Session session, WebhookRequest request) {
        if (!CidrAllowlist.parse(session.allowedCidrs()).allows(request.sourceIp())) {
            return WebhookResponse.rejected(403, "source_not_allowed",
                    "source address " + request.sourceIp() + " is not in the session's allowlist");
        }
        if (request.body().length > MAX_BODY_BYTES) {
            return WebhookResponse.rejected(413, "too_large", "body exceeds " + MAX_BODY_BYTES + " bytes");
        }
        String contentType = request.contentType();
        if (contentType != null && !contentType.contains("json")) {
            return WebhookResponse.rejected(415, "not_json", "Content-Type must be application/json, got " + contentType);
        }
        Verification verification = SignatureSchemes.forKind(session.signature())
                .verify(request, verificationSecrets(session), request.receivedAt());
        if (!verification.valid()) {
            return WebhookResponse.rejected(401, "bad_signature", verification.reason());
        }
        JsonNode body;
        try {
            body = Json.parse(request.body());
        } catch (JacksonException e) {
            return WebhookResponse.rejected(400, "malformed_json",
                    "body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            return WebhookResponse.rejected(400, "malformed_json", "body could not be read as JSON");
        }
        if (body == null || !body.isObject()) {
            return WebhookResponse.rejected(400, "malformed_json", "body must be a JSON object");
        }
        ParsedWebhook parsed;
        try {
            parsed = ProviderAdapters.forProvider(session.provider()).parse(request, body);
        } catch (MalformedWebhookException e) {
            return WebhookResponse.rejected(400, "malformed_webhook", e.getMessage());
        }
        if (parsed.isIgnored()) {
            return WebhookResponse.accepted("ignored");
        }
        boolean storedAny = false;
        int refused = 0;
        String refusedNumber = null;
        Map<String, Optional<Session>> routed = new HashMap<>();
        for (int i = 0; i < parsed.events().size(); i++) {
            String route = parsed.routes().get(i);
            Optional<Session> owner = !session.isMetaAppEndpoint() && (route == null || route.equals(session.sessionId()))
                    ? Optional.of(session)
                    : routed.computeIfAbsent(String.valueOf(route), id -> owner(session, route, request));
            if (owner.isEmpty()) {
                refused++;
                refusedNumber = route;
                continue;
            }
            storedAny |= store(owner.get(), parsed.events().get(i)) == StoreOutcome.STORED;
        }
        if (refused > 0) {
            LOG.warn("changes for a number no session of this app owns were refused sessionId={} refused={}", session.sessionId(), refused);
            WebhookRejection refusal = WebhookRejection.of(200, "foreign_number", refusedNumber == null
                    ? "a change names no phone_number_id: an app endpoint routes by number only"
                    : "phone_number_id " + refusedNumber + " has no enabled session of this Meta app: register it");
            if (refused == parsed.events().size()) {
                return WebhookResponse.accepted("ignored", refused).withRefusal(refusal);
            }
            return WebhookResponse.accepted(storedAny ? "stored" : "duplicate", refused).withRefusal(refusal);
        }
        return WebhookResponse.accepted(storedAny ? "stored" : "duplicate", refused);
    }

    /**
     * The secrets a delivery may be signed with: the session's own, and for a number of a Meta app the app
     * endpoint's too (Meta signs every callback with the app secret, whichever URL it goes to).
     */
    private java.util.List<String> verificationSecrets(Session session) {
        if (session.metaAppId() == null || session.isMetaAppEndpoint()) {
            return session.secrets();
        }
        Optional<Session> endpoint = sessions.find(Session.metaAppEndpointId(session.metaAppId()));
        if (endpoint.isEmpty() || !endpoint.get().enabled()) {
            return session.secrets();
        }
        java.util.List<String> secrets = new java.util.ArrayList<>(session.secrets());
        secrets.addAll(endpoint.get().secrets());
        return secrets;
    }

    /**
     * Who owns a change whose payload names another number than the URL's session. The session
     * registered under that number (its {@code phone_number_id} as session id) when it belongs to
     * the same Meta app — enabled, Meta, and its own secret verifies this very delivery, as Meta
     * signs every callback with the app secret. Otherwise: when the URL's session is itself named by
     * a number, the change is not its own and is refused; a session registered under another name
     * (before numbers named sessions) keeps every change it is sent.
     */
    private Optional<Session> owner(Session urlSession, String number, WebhookRequest request) {
        if (urlSession.metaAppId() != null) {
            // Registered as a number of a Meta app (or its endpoint): the app's own numbers, nothing else.
            Optional<Session> named = number == null ? Optional.empty() : sessions.find(number);
            return named.filter(candidate -> candidate.enabled() && candidate.provider() == urlSession.provider()
                    && urlSession.metaAppId().equals(candidate.metaAppId()) && !candidate.isMetaAppEndpoint());
        }
        if (number == null) {
            return Optional.of(urlSession);
        }
        Optional<Session> named = sameAppSession(urlSession, number, request);
        if (named.isPresent()) {
            return named;
        }
        return isNumber(urlSession.sessionId()) ? Optional.empty() : Optional.of(urlSession);
    }

    private static boolean isNumber(String sessionId) {
        return !sessionId.isEmpty() && sessionId.chars().allMatch(Character::isDigit);
    }

    private Optional<Session> sameAppSession(Session urlSession, String sessionId, WebhookRequest request) {
        Optional<Session> named = sessions.find(sessionId);
        if (named.isEmpty() || !named.get().enabled() || named.get().provider() != urlSession.provider()) {
            return Optional.empty();
        }
        Verification verification = SignatureSchemes.forKind(named.get().signature())
                .verify(request, named.get().secrets(), request.receivedAt());
        return verification.valid() ? named : Optional.empty();
    }

    private StoreOutcome store(Session session, GatewayEvent event) {
        if (event instanceof InboundMessage message) {
            InboundMessage filed = identities.resolve(session.tenantId(), message);
            StoreOutcome outcome = store.storeMessage(session, filed);
            identities.afterStore(session, message, filed, outcome);
            return outcome;
        }
        if (event instanceof MessageChange change) {
            return store.storeChange(session, identities.resolve(session.tenantId(), change));
        }
        if (event instanceof StatusUpdate update) {
            return store.storeStatus(session, identities.resolve(session.tenantId(), update));
        }
        return store.storeSessionUpdate(session, (SessionUpdate) event);
    }
}
