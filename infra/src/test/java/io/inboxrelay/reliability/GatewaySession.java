package io.inboxrelay.reliability;

import io.inboxrelay.core.Provider;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.signature.WebhookSigner;
import io.inboxrelay.store.DynamoSessionRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One tenant's gateway session of a given provider, and the webhooks that provider would post for
 * it: a text message from one of a few leads, with a unique provider id and text that tests
 * forbid in the logs.
 */
record GatewaySession(String tenantId, String sessionId, Provider provider, SignatureKind signature, String secret) {

    /** Every message text starts with this, so captured logs can be searched for message text. */
    static final String TEXT_MARKER = "Olá, reliability message ";

    static GatewaySession register(DynamoSessionRegistry registry, String tenantId, Provider provider, List<String> allowedCidrs,
                                   boolean enabled) {
        SignatureKind signature = switch (provider) {
            case WAHA -> SignatureKind.WAHA_HMAC;
            case META -> SignatureKind.META;
            default -> SignatureKind.HMAC_SHA256;
        };
        String secret = "whsec-" + UUID.randomUUID() + UUID.randomUUID();
        GatewaySession session = new GatewaySession(tenantId, "s-" + provider.wireName() + "-" + UUID.randomUUID(), provider, signature, secret);
        registry.create(new Session(session.sessionId(), tenantId, provider, signature, List.of(secret), "verify-" + UUID.randomUUID(),
                allowedCidrs, enabled, Instant.now(), null, null, null));
        return session;
    }

    static GatewaySession register(DynamoSessionRegistry registry, String tenantId, Provider provider) {
        return register(registry, tenantId, provider, List.of(), true);
    }

    /** The provider's bare message id for the n-th message (what the store keys on). */
    String messageId(int n) {
        return switch (provider) {
            case META -> "wamid.REL" + sessionId.hashCode() + "X" + n;
            default -> "REL" + Integer.toHexString(sessionId.hashCode()) + "X" + n;
        };
    }

    /** A text message as this provider posts it, from one of {@code leads} leads. */
    byte[] message(int n, int leads, Instant at) {
        String phone = "57300" + String.format("%07d", 1_000_000 + Math.floorMod(n, leads));
        String text = TEXT_MARKER + n;
        long seconds = at.getEpochSecond();
        String json = switch (provider) {
            case WAHA -> "{\"id\":\"evt_" + n + "\",\"timestamp\":" + at.toEpochMilli() + ",\"event\":\"message\",\"session\":\"default\","
                    + "\"payload\":{\"id\":\"false_" + phone + "@c.us_" + messageId(n) + "\",\"timestamp\":" + seconds
                    + ",\"from\":\"" + phone + "@c.us\",\"fromMe\":false,\"to\":\"5511912345678@c.us\",\"body\":\"" + text
                    + "\",\"hasMedia\":false,\"_data\":{\"notifyName\":\"Lead " + phone + "\"}}}";
            case META -> "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{\"field\":\"messages\","
                    + "\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550783881\",\"phone_number_id\":\""
                    + sessionId + "\"},\"contacts\":[{\"profile\":{\"name\":\"Lead " + phone + "\"},\"wa_id\":\"" + phone + "\"}],"
                    + "\"messages\":[{\"from\":\"" + phone + "\",\"id\":\"" + messageId(n) + "\",\"timestamp\":\"" + seconds
                    + "\",\"text\":{\"body\":\"" + text + "\"},\"type\":\"text\"}]}}]}]}";
            default -> "{\"event\":\"message.received\",\"session\":\"" + sessionId + "\",\"timestamp\":" + seconds
                    + ",\"message\":{\"id\":\"" + messageId(n) + "\",\"from\":\"+" + phone + "\",\"fromMe\":false,\"name\":\"Lead " + phone
                    + "\",\"text\":\"" + text + "\",\"timestamp\":" + seconds + "}}";
        };
        return json.getBytes(StandardCharsets.UTF_8);
    }

    Map<String, String> sign(byte[] body, Instant at) {
        return WebhookSigner.sign(signature, secret, body, at);
    }

    /** Headers of the right shape, signed with a secret that is not this session's. */
    Map<String, String> signBadly(byte[] body, Instant at) {
        return WebhookSigner.sign(signature, "not-the-secret-" + UUID.randomUUID(), body, at);
    }
}
