package io.inboxrelay.core;

import java.util.Locale;

/** The webhook formats a gateway session can speak. The wire name is what the session registry stores. */
public enum Provider {
    INBOX_HUB("inboxhub"),
    EVOLUTION("evolution"),
    WAHA("waha"),
    META("meta");

    private final String wireName;

    Provider(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Provider fromWireName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (Provider provider : values()) {
            if (provider.wireName.equals(wanted)) {
                return provider;
            }
        }
        throw new IllegalArgumentException("unknown provider '" + name + "' (expected one of inboxhub, evolution, waha, meta)");
    }
}
