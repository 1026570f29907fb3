package io.inboxrelay.core;

import java.time.Instant;

/**
 * How often a session refused one kind of request that did not prove it came from its gateway
 * (a bad signature, a source outside the allowlist, a body that is not JSON or too large), or a
 * Meta change for a number its app does not own. Kept apart from the session's health
 * ({@code lastSuccessAt}, {@code lastRejection}) so a stranger can raise a counter but never make a
 * healthy session look broken (issue 13, item 7).
 *
 * @param code   the answer's {@code error}, or {@code foreign_number} for a refused Meta change
 * @param status its HTTP status (200 for a refused Meta change: the delivery itself was answered 200)
 * @param count  how many, counted per container and written at most once a minute per session and code
 * @param lastAt when the last one was written
 * @param reason the last answer's message, made safe like {@link WebhookRejection#reason()}
 */
public record RejectionTally(String code, int status, long count, Instant lastAt, String reason) {
}
