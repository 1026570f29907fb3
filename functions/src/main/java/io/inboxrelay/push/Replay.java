package io.inboxrelay.push;

import io.inboxrelay.config.Config;
import io.inboxrelay.core.event.Cursors;
import io.inboxrelay.core.realtime.Connection;
import io.inboxrelay.core.realtime.Cursor;
import io.inboxrelay.core.realtime.ServerMessages;
import io.inboxrelay.core.realtime.StoredEvent;
import io.inboxrelay.store.EventLog;
import java.time.Clock;
import java.time.Duration;

/**
 * One resume call: a bounded page of the events a reconnecting browser may have missed, oldest
 * first, then exactly one terminal message.
 *
 * <ul>
 *   <li>{@code since}: from {@code since − overlap} (see {@link Cursor}); {@code after}: strictly after
 *       the {@code next} of the previous page, no overlap (the overlap only covers late commits around a
 *       socket's own disconnect, and a page boundary is not one).</li>
 *   <li>Terminal: {@code resumed} with {@code complete} and, when more remain, {@code next};
 *       {@code resync_required} when the cursor is older than {@code RESUME_MAX_AGE_HOURS} or the
 *       retention, or when an event could not be sent to this socket (it then reloads through the read
 *       API rather than miss it).</li>
 *   <li>A socket that stops taking posts is closed, so its browser reconnects and resumes again.</li>
 * </ul>
 */
public final class Replay {

    /** A page stops early past this, well inside the resume function's 29 s timeout. */
    static final Duration PAGE_TIME_BUDGET = Duration.ofSeconds(10);
    public static final String CURSOR_EXPIRED = "cursor_expired";
    public static final String TOO_FAR_BEHIND = "too_far_behind";
    public static final String DELIVERY_FAILED = "delivery_failed";

    private final EventLog log;
    private final Config config;
    private final Clock clock;

    public Replay(EventLog log, Config config, Clock clock) {
        this.log = log;
        this.config = config;
        this.clock = clock;
    }

    /** How the call ended, for logs and metrics. */
    public record Result(int sent, String terminal, Delivery failure) {
    }

    /**
     * @param cursor the client's {@code since} or {@code after}
     * @param strict true for {@code after}
     */
    public Result page(Connection connection, String cursor, boolean strict, ConnectionSender sender) {
        long started = clock.millis();
        String id = connection.connectionId();
        long age = started - Cursor.millis(cursor);
        if (age > config.eventTtl().toMillis() || age > config.resumeMaxAge().toMillis()) {
            String reason = age > config.eventTtl().toMillis() ? CURSOR_EXPIRED : TOO_FAR_BEHIND;
            return finish(connection, sender, ServerMessages.resyncRequired(reason, Cursors.floor(clock.instant())), 0, reason);
        }
        String lowerBound = strict ? cursor : Cursor.resumeLowerBound(cursor, config.resumeOverlap());
        EventLog.Page page = log.after(connection.tenantId(), lowerBound, connection.channels(), config.resumePageEvents());
        int sent = 0;
        boolean skipped = false;
        String last = null;
        for (StoredEvent event : page.events()) {
            if (last != null && clock.millis() - started > PAGE_TIME_BUDGET.toMillis()) {
                break;
            }
            Delivery outcome = sender.send(id, event.body());
            if (outcome == Delivery.SENT) {
                sent++;
            } else if (outcome == Delivery.REFUSED || outcome == Delivery.TOO_LARGE) {
                skipped = true; // this socket cannot take that event: the read API has it
            } else {
                // No terminal message can reach a socket that fails or stays throttled (its buffer is full):
                // closing it is the answer, and its client reconnects and resumes. A gone one is gone.
                if (outcome != Delivery.GONE) {
                    sender.close(id);
                }
                return new Result(sent, null, outcome);
            }
            last = event.cursor();
        }
        if (skipped) {
            return finish(connection, sender, ServerMessages.resyncRequired(DELIVERY_FAILED, Cursors.floor(clock.instant())), sent,
                    DELIVERY_FAILED);
        }
        boolean more = page.more() || (last != null && !last.equals(page.events().get(page.events().size() - 1).cursor()));
        if (more && last != null) {
            return finish(connection, sender, ServerMessages.resumedPage(sent, last), sent, "page");
        }
        return finish(connection, sender, ServerMessages.resumed(sent), sent, "complete");
    }

    private static Result finish(Connection connection, ConnectionSender sender, String terminal, int sent, String kind) {
        Delivery outcome = sender.send(connection.connectionId(), terminal);
        if (outcome != Delivery.SENT && outcome != Delivery.GONE) {
            sender.close(connection.connectionId());
        }
        return new Result(sent, kind, outcome == Delivery.SENT ? null : outcome);
    }
}
