package io.inboxrelay.core.provider;

import io.inboxrelay.core.Provider;

/** The adapter for each provider format; adapters are stateless, so one instance each serves every request. */
public final class ProviderAdapters {

    private static final ProviderAdapter INBOX_HUB = new InboxHubAdapter();
    private static final ProviderAdapter EVOLUTION = new EvolutionAdapter();
    private static final ProviderAdapter WAHA = new WahaAdapter();
    private static final ProviderAdapter META = new MetaAdapter();

    private ProviderAdapters() {
    }

    public static ProviderAdapter forProvider(Provider provider) {
        if (provider == null) {
            throw new IllegalArgumentException("provider is required");
        }
        return switch (provider) {
            case INBOX_HUB -> INBOX_HUB;
            case EVOLUTION -> EVOLUTION;
            case WAHA -> WAHA;
            case META -> META;
        };
    }

    /**
     * The id an inbound event of this provider gives the message the gateway answered a send with: what the
     * echo webhook and the receipts will carry. WAHA answers the serialized {@code true_<chat>_<id>}, whose
     * bare part is what its webhooks (and an {@code @lid} twin) share; the others answer the id itself.
     */
    public static String canonicalMessageId(Provider provider, String gatewayMessageId) {
        return provider == Provider.WAHA ? WahaAdapter.bareId(gatewayMessageId) : gatewayMessageId;
    }
}
