package io.inboxrelay.outbound;

import io.inboxrelay.core.phone.Parties;
import io.inboxrelay.store.OutboundStore;
import io.inboxrelay.store.OutboundStore.LeadMessage;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read receipts to the lead (docs/OUTBOUND.md §4): when an agent opens a conversation, the lead's unread messages are
 * marked read at the gateway too (blue ticks on the lead's phone). Best effort throughout: the agent's own read state
 * is stored already, and nothing here ever fails the mark-read.
 */
public final class ReadReceipts {

    private static final Logger LOG = LoggerFactory.getLogger(ReadReceipts.class);

    private final OutboundStore store;
    private final Outbox outbox;

    public ReadReceipts(OutboundStore store, Outbox outbox) {
        this.store = store;
        this.outbox = outbox;
    }

    /**
     * The read job for what a mark-read is about to clear, taken before it clears it; empty when nothing is unread, the
     * messages carry no gateway id, or anything fails.
     */
    public Optional<OutboxJob.Read> pending(String tenantId, String conversationId) {
        try {
            List<LeadMessage> unread = store.unreadLeadMessages(tenantId, conversationId);
            if (unread.isEmpty() || unread.get(0).sessionId() == null) {
                return Optional.empty();
            }
            LeadMessage newest = unread.get(0);
            List<String> ids = unread.stream().filter(m -> newest.sessionId().equals(m.sessionId()))
                    .map(LeadMessage::providerMessageId).toList();
            String chat = Parties.gatewayAddress(newest.group(), conversationId, newest.phone(), newest.originalId());
            return chat == null ? Optional.empty()
                    : Optional.of(new OutboxJob.Read(tenantId, newest.sessionId(), conversationId, chat, ids));
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("tenantId", tenantId).addKeyValue("conversationId", conversationId)
                    .addKeyValue("error", e.getClass().getSimpleName()).log("read receipt not prepared");
            return Optional.empty();
        }
    }

    /** Hands the job to the outbox; a refusal is logged, never thrown. */
    public void send(OutboxJob.Read job) {
        try {
            outbox.enqueue(job);
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("tenantId", job.tenantId()).addKeyValue("sessionId", job.sessionId())
                    .addKeyValue("conversationId", job.conversationId()).addKeyValue("error", e.getClass().getSimpleName())
                    .log("read receipt not enqueued");
        }
    }
}
