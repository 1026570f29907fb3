package io.inboxrelay.core.realtime;

import io.inboxrelay.core.RejectionTally;
import io.inboxrelay.core.SessionState;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * "Why does this tenant's browser receive nothing?" answered in one line, from what the session
 * registry and the connections table hold. The {@code status} route and the {@code status} tool
 * both ask it, so the page and the operator read the same words.
 *
 * <p>Faults upstream come first, in the order a message travels: no session, every session
 * disabled, webhooks refused, WhatsApp disconnected, nothing sent for a long time; then the
 * browser end. A refusal or a disconnection of any enabled session is named even while another
 * session works; quietness only when no enabled session has sent anything recently.
 */
public final class TenantDiagnosis {

    /** How long without an accepted webhook before a tenant's sessions count as quiet. */
    public static final Duration QUIET_AFTER = Duration.ofHours(24);

    /** What the verdict says, as a stable code for scripts and the page. */
    public enum Code {
        NO_SESSION,
        ALL_DISABLED,
        REJECTED,
        DISCONNECTED,
        NEVER_SENT,
        QUIET,
        NO_BROWSER,
        OK;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param sessionId the session the verdict is about, or null when it is about none in particular
     * @param text      the verdict in words
     */
    public record Verdict(Code code, String sessionId, String text) {

        public boolean ok() {
            return code == Code.OK;
        }
    }

    private TenantDiagnosis() {
    }

    public static Verdict of(List<SessionStatus> sessions, int connections, Instant now) {
        return of(sessions, connections, now, QUIET_AFTER);
    }

    public static Verdict of(List<SessionStatus> sessions, int connections, Instant now, Duration quietAfter) {
        if (sessions.isEmpty()) {
            return new Verdict(Code.NO_SESSION, null, "no session feeds this tenant");
        }
        List<SessionStatus> enabled = sessions.stream().filter(SessionStatus::enabled)
                .sorted(Comparator.comparing(SessionStatus::sessionId)).toList();
        if (enabled.isEmpty()) {
            return new Verdict(Code.ALL_DISABLED, null, sessions.size() == 1
                    ? "all sessions disabled (" + sessions.get(0).sessionId() + ")"
                    : "all sessions disabled (" + sessions.size() + ")");
        }
        for (SessionStatus session : enabled) {
            if (refusedNow(session)) {
                String when = session.lastRejectedAt() == null ? "" : ", last " + ago(session.lastRejectedAt(), now);
                return new Verdict(Code.REJECTED, session.sessionId(), "webhooks arrive but are rejected: "
                        + session.lastError() + " (session " + session.sessionId() + when + ")");
            }
            Optional<RejectionTally> unproven = unprovenSinceLastSuccess(session);
            if (unproven.isPresent()) {
                RejectionTally tally = unproven.get();
                return new Verdict(Code.REJECTED, session.sessionId(), "webhooks arrive but are rejected: " + tally.code()
                        + " (session " + session.sessionId() + ", last " + ago(tally.lastAt().toEpochMilli(), now) + ", "
                        + tally.count() + " counted; none accepted since)");
            }
        }
        for (SessionStatus session : enabled) {
            if (disconnected(session)) {
                return new Verdict(Code.DISCONNECTED, session.sessionId(), "session " + session.sessionId()
                        + " is disconnected from WhatsApp (state " + session.state() + ")");
            }
        }
        Optional<SessionStatus> latest = enabled.stream().filter(s -> s.lastSuccessAt() != null)
                .max(Comparator.comparingLong(SessionStatus::lastSuccessAt));
        if (latest.isEmpty()) {
            SessionStatus first = enabled.get(0);
            return new Verdict(Code.NEVER_SENT, first.sessionId(), enabled.size() == 1
                    ? "session " + first.sessionId() + " has never sent a webhook (is the gateway pointed at /webhooks/" + first.sessionId() + "?)"
                    : "no session has ever sent a webhook (" + enabled.size() + " enabled)");
        }
        SessionStatus sender = latest.get();
        Instant lastSent = Instant.ofEpochMilli(sender.lastSuccessAt());
        if (Duration.between(lastSent, now).compareTo(quietAfter) > 0) {
            return new Verdict(Code.QUIET, sender.sessionId(), "session " + sender.sessionId() + " last sent " + ago(sender.lastSuccessAt(), now));
        }
        if (connections <= 0) {
            return new Verdict(Code.NO_BROWSER, null, "no browser connected");
        }
        return new Verdict(Code.OK, sender.sessionId(), "ok: " + connections + (connections == 1 ? " browser" : " browsers")
                + " connected, session " + sender.sessionId() + " last sent " + ago(sender.lastSuccessAt(), now));
    }

    /** The last webhook that reached the session was refused (a refusal recorded without a time counts when nothing was accepted). */
    static boolean refusedNow(SessionStatus session) {
        if (session.lastRejection() == null) {
            return false;
        }
        if (session.lastRejectedAt() == null) {
            return session.lastSuccessAt() == null;
        }
        return session.lastSuccessAt() == null || session.lastRejectedAt() > session.lastSuccessAt();
    }

    /**
     * The newest refusal of a request that proved nothing (a bad signature: a gateway signing with an old
     * secret looks exactly like this) when nothing was accepted after it. Refused Meta changes
     * ({@code foreign_number}) are left out: the delivery that carried them was accepted.
     */
    static Optional<RejectionTally> unprovenSinceLastSuccess(SessionStatus session) {
        return session.refusals().values().stream()
                .filter(tally -> !"foreign_number".equals(tally.code()) && tally.lastAt() != null)
                .filter(tally -> session.lastSuccessAt() == null || tally.lastAt().toEpochMilli() > session.lastSuccessAt())
                .max(Comparator.comparing(RejectionTally::lastAt));
    }

    static boolean disconnected(SessionStatus session) {
        return SessionState.DISCONNECTED.wireName().equals(session.state()) || SessionState.QR.wireName().equals(session.state());
    }

    /** "just now", "42 seconds ago", "1 minute ago", "5 hours ago", "3 days ago". */
    public static String ago(long epochMillis, Instant now) {
        Duration elapsed = Duration.between(Instant.ofEpochMilli(epochMillis), now);
        if (elapsed.isNegative() || elapsed.toSeconds() < 5) {
            return "just now";
        }
        if (elapsed.toMinutes() < 1) {
            return plural(elapsed.toSeconds(), "second");
        }
        if (elapsed.toHours() < 1) {
            return plural(elapsed.toMinutes(), "minute");
        }
        if (elapsed.toDays() < 1) {
            return plural(elapsed.toHours(), "hour");
        }
        return plural(elapsed.toDays(), "day");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s") + " ago";
    }
}
