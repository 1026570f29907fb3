package io.inboxrelay.admin;

import io.inboxrelay.core.GatewaySettings;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.net.CidrAllowlist;
import io.inboxrelay.store.DynamoSessionRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Registers and manages gateway sessions: shared by the admin HTTP route and the command-line
 * tool. A secret is returned once, when it is made, and never listed again.
 */
public final class SessionAdmin {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DynamoSessionRegistry registry;
    private final Clock clock;

    public SessionAdmin(DynamoSessionRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * @param request what to register; a null session id makes one, a null secret generates one
     * @return the session and its secret, shown this once
     */
    public Created create(NewSession request) {
        requireId("tenant id", request.tenantId());
        String sessionId = request.sessionId() == null ? "s_" + UUID.randomUUID().toString().replace("-", "") : request.sessionId();
        requireId("session id", sessionId);
        Provider provider = Provider.fromWireName(request.provider());
        SignatureKind signature = request.signature() == null
                ? SignatureKind.defaultFor(provider) : SignatureKind.fromWireName(request.signature());
        List<String> cidrs = request.allowedCidrs() == null ? List.of() : request.allowedCidrs();
        CidrAllowlist.parse(cidrs); // refuses a bad entry now rather than on the first webhook
        String appId = request.metaAppId() == null || request.metaAppId().isBlank() ? null : request.metaAppId().trim();
        if (appId != null) {
            requireId("meta app id", appId);
            if (provider != Provider.META) {
                throw new IllegalArgumentException("--meta-app applies to meta sessions only");
            }
        }
        boolean numberOfAnApp = appId != null && !sessionId.equals(Session.metaAppEndpointId(appId));
        if (provider == Provider.META && !numberOfAnApp && (request.verifyToken() == null || request.verifyToken().isBlank())) {
            throw new IllegalArgumentException("a meta session needs a verify token for the GET handshake");
        }
        String secret = request.secret() == null || request.secret().isBlank() ? newSecret(signature) : strong(signature, request.secret());
        Session session = new Session(sessionId, request.tenantId(), provider, signature, List.of(secret),
                request.verifyToken(), cidrs, true, clock.instant(), null, null, null, null, null, appId, Map.of());
        registry.create(session);
        return new Created(redact(session), secret);
    }

    /** Adds a new secret in front of the current one; both are valid until the next rotation. */
    public Created rotate(String sessionId, String secret) {
        return rotate(sessionId, secret, false);
    }

    /**
     * A new secret; with {@code revokePrevious} it is the only one valid from now on (a leaked secret must not
     * stay valid until a second rotation), else the newest previous one stays valid beside it.
     */
    public Created rotate(String sessionId, String secret, boolean revokePrevious) {
        Session session = existing(sessionId);
        String fresh = secret == null || secret.isBlank() ? newSecret(session.signature()) : strong(session.signature(), secret);
        List<String> secrets = new ArrayList<>();
        secrets.add(fresh);
        if (!revokePrevious && !session.secrets().isEmpty()) {
            secrets.add(session.secrets().get(0));
        }
        Session rotated = withSecretsAndEnabled(session, secrets, session.enabled());
        registry.update(rotated);
        return new Created(redact(rotated), fresh);
    }

    public Session setEnabled(String sessionId, boolean enabled) {
        Session session = existing(sessionId);
        Session changed = withSecretsAndEnabled(session, session.secrets(), enabled);
        registry.update(changed);
        return redact(changed);
    }

    /**
     * Stores the session's gateway API connection: base URL (https, or http to localhost for the simulator), API key or
     * access token (sealed, never shown again), the gateway's name for the session (null: the session id) and Meta's
     * Graph API version. Meta needs no base URL (the Graph API's is used).
     */
    public Session setGateway(String sessionId, String baseUrl, String credential, String gatewaySession, String apiVersion) {
        Session session = existing(sessionId);
        if (credential == null || credential.isBlank()) {
            throw new IllegalArgumentException("the gateway's API key or access token is required");
        }
        String url = session.provider() == Provider.META && (baseUrl == null || baseUrl.isBlank())
                ? null : GatewaySettings.checkBaseUrl(baseUrl);
        String name = gatewaySession == null || gatewaySession.isBlank() ? null : gatewaySession.trim();
        if (name != null) {
            requireId("gateway session name", name);
        }
        String version = apiVersion == null || apiVersion.isBlank() ? null : apiVersion.trim();
        if (version != null && !version.matches("v\\d{1,3}\\.\\d{1,2}")) {
            throw new IllegalArgumentException("the Graph API version looks like v23.0, not " + version);
        }
        GatewaySettings settings = new GatewaySettings(url, name, version, true);
        registry.setGateway(session, settings, credential.strip());
        return redact(existing(sessionId));
    }

    public Session get(String sessionId) {
        return redact(existing(sessionId));
    }

    /** Sessions without their secrets; every tenant's when {@code tenantId} is null. */
    public List<Session> list(String tenantId) {
        if (tenantId != null) {
            // An empty or malformed id would reach DynamoDB as an invalid key: a 503 instead of the caller's 400.
            requireId("tenant id", tenantId);
        }
        List<Session> sessions = tenantId == null ? registry.listAll() : registry.listByTenant(tenantId);
        return sessions.stream().map(SessionAdmin::redact).toList();
    }

    private Session existing(String sessionId) {
        return registry.find(sessionId).orElseThrow(() -> new IllegalArgumentException("no session '" + sessionId + "'"));
    }

    private static Session withSecretsAndEnabled(Session s, List<String> secrets, boolean enabled) {
        return s.withSecrets(secrets, s.verifyToken(), enabled);
    }

    private static Session redact(Session s) {
        return s.withSecrets(List.of(), null, s.enabled());
    }

    /** HMAC keys and static tokens under 32 bytes are guessable offline from one signed request. */
    static final int MIN_SECRET_BYTES = 32;

    /**
     * Refuses a weak secret: at least 32 bytes (for {@code standard-webhooks}, a {@code whsec_} key whose
     * base64 decodes to at least 24 bytes, the Standard Webhooks specification's minimum).
     */
    static String strong(SignatureKind signature, String secret) {
        if (signature == SignatureKind.STANDARD_WEBHOOKS && secret.startsWith("whsec_")) {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a standard-webhooks secret is whsec_ followed by base64");
            }
            if (key.length < 24) {
                throw new IllegalArgumentException("a standard-webhooks secret must decode to at least 24 bytes (got "
                        + key.length + "): leave --secret out to get a generated one");
            }
            return secret;
        }
        int bytes = secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("a " + signature.wireName() + " secret must be at least " + MIN_SECRET_BYTES
                    + " bytes (got " + bytes + "): leave --secret out to get a generated one, or use e.g. openssl rand -base64 32");
        }
        return secret;
    }

    static String newSecret(SignatureKind signature) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        if (signature == SignatureKind.STANDARD_WEBHOOKS) {
            return "whsec_" + Base64.getEncoder().encodeToString(bytes);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void requireId(String what, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be 1-128 characters of letters, digits and . _ : @ -");
        }
    }

    /**
     * A session to register.
     *
     * @param sessionId    null to generate one
     * @param secret       null to generate one (Meta: the app secret; Evolution: the jwt_key you configure)
     * @param signature    null for the provider's default scheme
     * @param metaAppId    Meta only: the app the number belongs to; with session id {@code meta-app-<appId>} the
     *                     app's endpoint itself (its secret is the app secret), else null
     */
    public record NewSession(String tenantId, String sessionId, String provider, String signature, String secret,
                             String verifyToken, List<String> allowedCidrs, String metaAppId) {

        public NewSession(String tenantId, String sessionId, String provider, String signature, String secret,
                          String verifyToken, List<String> allowedCidrs) {
            this(tenantId, sessionId, provider, signature, secret, verifyToken, allowedCidrs, null);
        }
    }

    /** A session (without secrets) and the one secret shown this once. */
    public record Created(Session session, String secret) {
    }
}
