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
}
