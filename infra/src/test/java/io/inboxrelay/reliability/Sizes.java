package io.inboxrelay.reliability;

/**
 * How big the reliability runs are: the quick sizes run in every {@code mvn verify}; the full
 * sizes run with {@code -Dreliability.full=true}.
 *
 * @param webhooks   webhook deliveries in total (duplicates and badly signed ones included)
 * @param browsers   WebSocket clients connected during the load, spread over the tenants
 * @param reconnects how many of them drop and reconnect with {@code resume} at a random moment
 */
record Sizes(int webhooks, int browsers, int reconnects) {

    static final int TENANTS = 3;
    static final double DUPLICATE_SHARE = 0.10;
    static final double BAD_SIGNATURE_SHARE = 0.05;

    static Sizes current() {
        return Boolean.getBoolean("reliability.full") ? new Sizes(20_000, 200, 20) : new Sizes(2_000, 30, 5);
    }

    int duplicates() {
        return (int) Math.round(webhooks * DUPLICATE_SHARE);
    }

    int badSignatures() {
        return (int) Math.round(webhooks * BAD_SIGNATURE_SHARE);
    }

    /** Distinct valid messages: each is delivered once, and the duplicates deliver some of them again. */
    int uniqueMessages() {
        return webhooks - duplicates() - badSignatures();
    }
}
