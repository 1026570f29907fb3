package io.inboxrelay.outbound;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Direction;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Media;
import io.inboxrelay.core.MessageDetails;
import io.inboxrelay.core.MessageKind;
import io.inboxrelay.core.MessageStatus;
import io.inboxrelay.core.Party;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.ingest.InboxStore.StoreOutcome;
import io.inboxrelay.core.ingest.SessionRegistry;
import io.inboxrelay.core.outbound.MediaKind;
import io.inboxrelay.readapi.BadRequestException;
import io.inboxrelay.readapi.ReadApiJson;
import io.inboxrelay.store.DynamoInboxStore;
import io.inboxrelay.store.OutboundStore;
import io.inboxrelay.store.OutboundStore.StoredReply;
import io.inboxrelay.store.OutboundStore.Target;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent's reply, accepted: stored pending (pushed to every browser of the tenant as {@code new_message} with its
 * {@code client_id}), then handed to the outbox. The client id is the idempotency key end to end: a repeat answers the
 * stored message as it is now and stores nothing, and enqueues only what never reached the outbox.
 */
public final class SendService {

    private static final Logger LOG = LoggerFactory.getLogger(SendService.class);

    /**
     * @param status the HTTP status
     * @param body   the JSON answer
     */
    public record Answer(int status, ObjectNode body) {

        static Answer error(int status, String code, String message) {
            return new Answer(status, Json.object().put("error", code).put("message", message));
        }

        static Answer accepted(StoredReply reply) {
            ObjectNode body = Json.object();
            body.set("message", ReadApiJson.message(reply.view()));
            return new Answer(202, body);
        }
    }

    private final OutboundStore store;
    private final DynamoInboxStore inbox;
    private final SessionRegistry sessions;
    private final Outbox outbox;
    private final Clock clock;

    public SendService(OutboundStore store, DynamoInboxStore inbox, SessionRegistry sessions, Outbox outbox, Clock clock) {
        this.store = store;
        this.inbox = inbox;
        this.sessions = sessions;
        this.outbox = outbox;
        this.clock = clock;
    }

    public Answer send(String tenantId, String conversationId, SendRequest request) {
        Optional<StoredReply> stored = store.reply(tenantId, request.messageId());
        if (stored.isPresent()) {
            return repeat(tenantId, conversationId, request, stored.get());
        }
        Optional<Target> target = conversationId == null ? Optional.empty() : store.target(tenantId, conversationId);
        if (target.isEmpty()) {
            // Another tenant's conversation answers exactly like a missing one: its existence is not revealed.
            return Answer.error(404, "not_found", "no such conversation");
        }
        Optional<Session> session = Optional.ofNullable(target.get().sessionId()).flatMap(sessions::find)
                .filter(found -> found.tenantId().equals(tenantId));
        Optional<Answer> unsendable = unsendable(target.get(), session);
        if (unsendable.isPresent()) {
            return unsendable.get();
        }
        if (request.replyTo() != null && !store.conversationOf(tenantId, request.replyTo()).filter(conversationId::equals).isPresent()) {
            throw new BadRequestException("reply_to names no message of this conversation");
        }
        InboundMessage message = message(target.get(), request);
        StoreOutcome outcome = inbox.storeAgentMessage(session.get(), message,
                new DynamoInboxStore.Outgoing(request.clientId(), request.replyTo()));
        StoredReply reply = store.reply(tenantId, request.messageId()).orElseThrow();
        if (outcome == StoreOutcome.DUPLICATE) {
            // The same client id raced itself (a double click reaching two containers): the first one stored it.
            return repeat(tenantId, conversationId, request, reply);
        }
        LOG.atInfo().addKeyValue("tenantId", tenantId).addKeyValue("sessionId", session.get().sessionId())
                .addKeyValue("conversationId", conversationId).addKeyValue("messageId", request.messageId())
                .addKeyValue("kind", message.kind().wireName()).log("reply stored pending");
        return enqueue(tenantId, reply);
    }

    private Optional<Answer> unsendable(Target target, Optional<Session> session) {
        if (session.isEmpty()) {
            return Optional.of(Answer.error(409, "not_sendable", "conversation " + target.conversationId()
                    + " has no session to send through: no message of it names a session of this tenant"));
        }
        String id = session.get().sessionId();
        if (!session.get().enabled()) {
            return Optional.of(Answer.error(409, "not_sendable", "session " + id + " is disabled: enable it with `inbox-relay sessions"
                    + " enable --session " + id + "`"));
        }
        if (session.get().gateway() == null || !session.get().gateway().hasCredential()) {
            return Optional.of(Answer.error(409, "not_sendable", "session " + id + " has no gateway credentials: run"
                    + " `inbox-relay sessions credentials --session " + id + " …`"));
        }
        return Optional.empty();
    }

    /** A client id seen before: the same reply answers as it is now; anything else under that id is refused. */
    private Answer repeat(String tenantId, String conversationId, SendRequest request, StoredReply stored) {
        boolean same = Objects.equals(stored.conversationId(), conversationId)
                && Objects.equals(stored.text(), request.text())
                && Objects.equals(stored.mediaUrl(), request.mediaUrl());
        if (!same) {
            return Answer.error(409, "client_id_reused", "client_id " + request.clientId()
                    + " was already used for another message; every new message needs a new client_id");
        }
        if (!stored.enqueued() && !stored.settled()) {
            // Stored, but the outbox refused it last time: this retry is what hands it over.
            return enqueue(tenantId, stored);
        }
        return Answer.accepted(stored);
    }

    private Answer enqueue(String tenantId, StoredReply reply) {
        try {
            outbox.enqueue(new OutboxJob.Send(tenantId, reply.sessionId(), reply.conversationId(), reply.messageId()));
        } catch (Outbox.UnavailableException e) {
            LOG.atError().addKeyValue("tenantId", tenantId).addKeyValue("sessionId", reply.sessionId())
                    .addKeyValue("messageId", reply.messageId()).addKeyValue("error", e.getMessage())
                    .log("reply stored but not enqueued; a retry with the same client_id enqueues it");
            return Answer.error(503, "unavailable", "the message is stored but could not be queued for sending;"
                    + " retry with the same client_id");
        }
        store.markEnqueued(tenantId, reply.messageId());
        return Answer.accepted(reply);
    }

    private InboundMessage message(Target target, SendRequest request) {
        Media media = null;
        MessageKind kind = MessageKind.TEXT;
        if (request.mediaUrl() != null) {
            MediaKind mediaKind = MediaKind.fromMimeType(request.mediaType());
            String type = mediaKind == MediaKind.VOICE ? "audio" : mediaKind.wireName();
            media = new Media(type, request.mediaType(), request.text(), request.mediaUrl(), request.fileName(), null, null, true,
                    mediaKind == MediaKind.VOICE);
            kind = null;
        }
        Party lead = new Party(target.group() ? target.conversationId() : target.contactId(), target.group() ? null : target.phone(),
                target.originalId(), null);
        MessageDetails details = request.replyTo() == null
                ? MessageDetails.NONE : MessageDetails.NONE.withQuoted(new MessageDetails.Quoted(request.replyTo(), null));
        return new InboundMessage(request.messageId(), null, Direction.AGENT, target.conversationId(), target.group(), lead,
                request.text(), media, clock.instant(), MessageStatus.PENDING, kind, details);
    }
}
