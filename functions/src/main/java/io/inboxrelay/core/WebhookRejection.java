package io.inboxrelay.core;

import java.util.regex.Pattern;

/**
 * Why the webhook endpoint refused a request, in the form a session's diagnostics keep it.
 *
 * @param status the HTTP status it was answered (400, 401, 403, 413, 415), or 0 when recorded before it was kept
 * @param code   the {@code error} of the answer ({@code bad_signature}, {@code malformed_json}, ...)
 * @param reason the answer's {@code message}, made safe to keep and to show to the tenant's browsers, or null
 */
public record WebhookRejection(int status, String code, String reason) {

    /** Enough for every reason we write; a longer one was padded by what the sender put in a header. */
    public static final int MAX_REASON_CHARS = 300;

    // Quoted text in a reason comes from the request (Jackson's "Unrecognized token 'hello'", a Content-Type
    // parameter): it may be message text, so the kept reason shows only where it was.
    private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}+");

    /**
     * Answers given before the request proved it came from the session's gateway (its signature, its verify
     * token): anyone who knows the URL can cause them, so they are counted apart and never touch the
     * session's health (issue 13, item 7).
     */
    private static final java.util.Set<String> UNAUTHENTICATED = java.util.Set.of(
            "bad_signature", "source_not_allowed", "too_large", "not_json", "bad_handshake", "bad_verify_token");

    /** Every code a session's refusal counters can hold: the unauthenticated answers and refused Meta changes. */
    public static final java.util.List<String> REFUSAL_CODES = java.util.List.of(
            "bad_signature", "source_not_allowed", "too_large", "not_json", "bad_handshake", "bad_verify_token", "foreign_number");

    /** True when the request was refused before it proved where it came from. */
    public boolean unauthenticated() {
        return UNAUTHENTICATED.contains(code);
    }

    /** The rejection as diagnostics keep it: quoted request text and control characters removed, truncated. */
    public static WebhookRejection of(int status, String code, String message) {
        return new WebhookRejection(status, code, safeReason(message));
    }

    static String safeReason(String message) {
        if (message == null || message.isBlank()) {
            return null;
        }
        String safe = CONTROL.matcher(QUOTED.matcher(message).replaceAll("'…'")).replaceAll(" ").strip();
        if (safe.length() <= MAX_REASON_CHARS) {
            return safe;
        }
        int end = MAX_REASON_CHARS - 1;
        if (Character.isHighSurrogate(safe.charAt(end - 1))) {
            end--;
        }
        return safe.substring(0, end) + "…";
    }

}
