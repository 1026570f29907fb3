package io.inboxrelay.core.ingest;

import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.MessageChange;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.SessionUpdate;
import io.inboxrelay.core.StatusUpdate;

/**
 * Where canonical events are stored, exactly once, together with the pushable event that the
 * fan-out delivers. Each call is one atomic write.
 */
public interface InboxStore {

    /** Stores a message, its conversation (unread +1 for an incoming one), its contact and a {@code new_message} event. */
    StoreOutcome storeMessage(Session session, InboundMessage message);

    /**
     * Applies a reaction, edit or deletion to its target message exactly once and records a
     * {@code message_updated} event; the target may not be stored yet. Never moves unread counts or previews.
     */
    StoreOutcome storeChange(Session session, MessageChange change);

    /** Moves a message's status forward (never back) and records a {@code message_status} event. */
    StoreOutcome storeStatus(Session session, StatusUpdate update);

    /** Records the session's new state and a {@code session_status} event. */
    StoreOutcome storeSessionUpdate(Session session, SessionUpdate update);

    enum StoreOutcome {
        /** Written now. */
        STORED,
        /** Already held (a retried or aliased delivery), or a status that would move backwards. */
        DUPLICATE
    }
}
