package io.inboxrelay.core;

import java.util.Locale;

/** State of a gateway's WhatsApp session, as pushed in {@code session_status}. */
public enum SessionState {
    CONNECTED,
    CONNECTING,
    DISCONNECTED,
    QR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SessionState fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
