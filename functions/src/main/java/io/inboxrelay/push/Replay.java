package io.inboxrelay.push;

import io.inboxrelay.core.realtime.Connection;
import io.inboxrelay.core.realtime.Cursor;
import io.inboxrelay.core.realtime.StoredEvent;
import io.inboxrelay.store.EventLog;
import java.time.Duration;
import java.util.List;

/** Sends a reconnecting browser every event it may have missed, oldest first. */
public final class Replay {

    private final EventLog log;
    private final Duration overlap;

    public Replay(EventLog log, Duration overlap) {
        this.log = log;
        this.overlap = overlap;
    }

    /**
     * Replays from {@code since − overlap} (see {@link Cursor}): events the client already holds
     * come again and are dropped by id, while a late-committed event inside the window is not lost.
     *
     * @return how many events were sent
     * @throws ReplayInterrupted when the socket closed or a send kept failing midway
     */
    public int replay(Connection connection, String since, ConnectionSender sender) {
        List<StoredEvent> events = log.after(connection.tenantId(), Cursor.resumeLowerBound(since, overlap), connection.channels());
        int sent = 0;
        for (StoredEvent event : events) {
            Delivery outcome = sender.send(connection.connectionId(), event.body());
            if (outcome != Delivery.SENT) {
                throw new ReplayInterrupted(outcome, sent);
            }
            sent++;
        }
        return sent;
    }

    public static final class ReplayInterrupted extends RuntimeException {
        private final Delivery outcome;

        ReplayInterrupted(Delivery outcome, int sent) {
            super("replay stopped after " + sent + " events: " + outcome);
            this.outcome = outcome;
        }

        public Delivery outcome() {
            return outcome;
        }
    }
}
