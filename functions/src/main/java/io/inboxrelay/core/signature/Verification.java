package io.inboxrelay.core.signature;

/**
 * The outcome of a signature check.
 *
 * @param valid  true when a secret matched and any signed timestamp is inside the window
 * @param reason why it failed ("missing X-Hub-Signature-256 header", "timestamp outside the 300 s replay window"), null when valid
 */
public record Verification(boolean valid, String reason) {

    private static final Verification OK = new Verification(true, null);

    public static Verification ok() {
        return OK;
    }

    public static Verification rejected(String reason) {
        return new Verification(false, reason);
    }
}
