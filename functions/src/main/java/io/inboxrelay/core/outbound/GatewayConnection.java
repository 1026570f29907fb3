package io.inboxrelay.core.outbound;

import io.inboxrelay.core.Provider;
import java.net.URI;

/**
 * What a session needs to reach its gateway's API: stored encrypted beside the webhook secrets, never listed or logged.
 *
 * @param provider       the gateway
 * @param baseUrl        its API's base URL (Meta: null for the Graph API's)
 * @param credential     the API key (Evolution, WAHA, Inbox Hub) or the access token (Meta)
 * @param gatewaySession the gateway's name for the session: Evolution instance, WAHA session, Inbox Hub session id,
 *                       Meta phone-number id
 * @param apiVersion     Meta's Graph API version ({@code v23.0}), or null for the default; unused by the others
 */
public record GatewayConnection(Provider provider, URI baseUrl, Credential credential, String gatewaySession, String apiVersion) {

    public GatewayConnection {
        if (provider == null || credential == null) {
            throw new IllegalArgumentException("provider and credential are required");
        }
        if (baseUrl == null && provider != Provider.META) {
            throw new IllegalArgumentException("the gateway's base URL is required for " + provider.wireName());
        }
        Calls.require(gatewaySession, "the gateway's session name");
    }
}
