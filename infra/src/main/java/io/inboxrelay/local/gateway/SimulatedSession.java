package io.inboxrelay.local.gateway;

import io.inboxrelay.core.Provider;
import io.inboxrelay.core.SignatureKind;

/**
 * A gateway session the simulator knows, and where its webhooks go.
 *
 * @param provider       the gateway
 * @param gatewaySession the gateway's name for it: Evolution instance, WAHA session, Meta phone-number id, Inbox Hub id
 * @param webhookUrl     where its webhooks are posted, or null when none is registered (then nothing is posted)
 * @param secret         what they are signed with: Evolution's jwt_key, WAHA's hmac key, Meta's app secret, the Inbox Hub secret
 * @param scheme         how they are signed
 */
public record SimulatedSession(Provider provider, String gatewaySession, String webhookUrl, String secret, SignatureKind scheme) {

    boolean hasWebhook() {
        return webhookUrl != null && !webhookUrl.isBlank() && secret != null && !secret.isEmpty();
    }
}
