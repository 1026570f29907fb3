package io.inboxrelay.outbound;

import io.inboxrelay.core.Session;
import io.inboxrelay.core.ingest.SessionRegistry;
import io.inboxrelay.core.outbound.GatewayClient;
import io.inboxrelay.core.outbound.GatewayClients;
import io.inboxrelay.core.outbound.GatewayConnection;
import io.inboxrelay.core.outbound.GatewayException;
import io.inboxrelay.core.outbound.GatewayFailure;
import io.inboxrelay.core.outbound.MediaKind;
import io.inboxrelay.core.outbound.OutboundMedia;
import io.inboxrelay.core.outbound.SendResult;
import io.inboxrelay.core.phone.Parties;
import io.inboxrelay.observability.Metrics;
import io.inboxrelay.store.OutboundStore;
import io.inboxrelay.store.OutboundStore.StoredReply;
import io.inboxrelay.store.SendRateLimit;
import io.inboxrelay.store.SendReconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one outbox job (docs/OUTBOUND.md §3, §4): a stored reply goes out through its session's gateway, at the
 * session's rate, and ends {@code sent} (claimed for the gateway's id) or {@code failed} with the gateway's reason; a
 * read job tells the lead's phone, best effort. It knows nothing of SQS: it answers what should happen to the job.
 */
public final class Sender {

    /** Gateway calls for one reply before a retryable failure becomes final. */
    public static final int MAX_SEND_ATTEMPTS = 5;
    /** Receives of one read job: a read receipt is not worth more. */
    public static final int MAX_READ_ATTEMPTS = 3;
    /** The longest the sender waits in process for a rate-limit slot; further away, the job comes back then. */
    public static final Duration MAX_IN_PROCESS_WAIT = Duration.ofSeconds(5);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(2);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    static final String TIMEOUT_REASON = "the gateway did not answer in time; the message may still have been sent";

    private static final Logger LOG = LoggerFactory.getLogger(Sender.class);

    /**
     * What becomes of the job.
     *
     * @param done       finished (sent, failed, or nothing to do): delete it from the queue
     * @param retryAfter when not done, how long until it should be received again
     * @param outcome    for the log: {@code sent}, {@code failed}, {@code retry}, {@code deferred}, …
     */
    public record Outcome(boolean done, Duration retryAfter, String outcome) {

        static Outcome done(String outcome) {
            return new Outcome(true, Duration.ZERO, outcome);
        }

        static Outcome later(Duration after, String outcome) {
            return new Outcome(false, after, outcome);
        }
    }

    private final OutboundStore store;
    private final SessionRegistry sessions;
    private final Function<String, Optional<GatewayConnection>> connections;
    private final GatewayClients clients;
    private final SendRateLimit rateLimit;
    private final SendReconciler reconciler;
    private final Clock clock;
    private final Consumer<Duration> pause;

    /**
     * @param sessions    the registry, without opening secrets (the sender needs the session, not its webhook secret)
     * @param connections a session's gateway connection with its credential opened, empty when none is stored
     * @param pause       how the sender waits for a near rate-limit slot
     */
    public Sender(OutboundStore store, SessionRegistry sessions, Function<String, Optional<GatewayConnection>> connections,
            GatewayClients clients, SendRateLimit rateLimit, SendReconciler reconciler, Clock clock, Consumer<Duration> pause) {
        this.store = store;
        this.sessions = sessions;
        this.connections = connections;
        this.clients = clients;
        this.rateLimit = rateLimit;
        this.reconciler = reconciler;
        this.clock = clock;
        this.pause = pause;
    }

    /**
     * @param receiveCount how many times the queue has handed this job out, this time included
     * @param metrics      the invocation's metrics: one count per outcome ({@code OutboxSent}, {@code OutboxFailed}, …)
     */
    public Outcome handle(OutboxJob job, int receiveCount, Metrics metrics) {
        return handle(job, receiveCount, metrics, MAX_IN_PROCESS_WAIT);
    }

    /**
     * @param maxWait the longest this call may wait for a rate-limit slot (at most {@link #MAX_IN_PROCESS_WAIT}): what
     *                the invocation has left beyond a gateway call's whole budget
     */
    public Outcome handle(OutboxJob job, int receiveCount, Metrics metrics, Duration maxWait) {
        Duration wait = maxWait.compareTo(MAX_IN_PROCESS_WAIT) > 0 ? MAX_IN_PROCESS_WAIT : maxWait;
        Outcome outcome = job instanceof OutboxJob.Send send ? send(send, wait) : read((OutboxJob.Read) job, receiveCount);
        LOG.atInfo().addKeyValue("tenantId", job.tenantId()).addKeyValue("sessionId", job.sessionId())
                .addKeyValue("conversationId", job.conversationId())
                .addKeyValue("messageId", job instanceof OutboxJob.Send send ? send.messageId() : null)
                .addKeyValue("job", job instanceof OutboxJob.Send ? "send" : "read")
                .addKeyValue("outcome", outcome.outcome())
                .addKeyValue("retryAfterMs", outcome.done() ? null : outcome.retryAfter().toMillis())
                .log("outbox job handled");
        metrics.count("Outbox" + capitalised(outcome.outcome()));
        return outcome;
    }

    private Outcome send(OutboxJob.Send job, Duration maxWait) {
        Optional<StoredReply> stored = store.reply(job.tenantId(), job.messageId());
        if (stored.isEmpty()) {
            return Outcome.done("missing");
        }
        StoredReply reply = stored.get();
        if (reply.settled()) {
            return Outcome.done("already_settled");
        }
        Optional<Session> session = sessions.find(job.sessionId()).filter(found -> found.tenantId().equals(job.tenantId()));
        if (session.isPresent() && !session.get().enabled()) {
            // Disabled after the reply was queued: the operator stopped this number, so nothing more goes out through it.
            return fail(job, "session_disabled", "session " + job.sessionId() + " was disabled before this reply went out");
        }
        Optional<GatewayConnection> connection = session.isEmpty() ? Optional.empty() : connections.apply(job.sessionId());
        if (connection.isEmpty()) {
            return fail(job, "no_credentials", "session " + job.sessionId() + " has no gateway credentials: run `inbox-relay sessions"
                    + " credentials --session " + job.sessionId() + " …`");
        }
        String to = address(reply);
        if (to == null) {
            return fail(job, "no_address", "the lead has no phone number or WhatsApp id to send to");
        }
        SendRateLimit.Slot slot = rateLimit.reserve(job.sessionId(), clock.instant(), maxWait);
        if (!slot.reserved()) {
            return Outcome.later(slot.delay(), "deferred");
        }
        if (!slot.delay().isZero()) {
            pause.accept(slot.delay());
        }
        int attempt = store.countAttempt(job.tenantId(), job.messageId());
        String replyTo = reply.replyTo() == null ? null : store.providerMessageId(job.tenantId(), reply.replyTo());
        reconciler.markInFlight(job.tenantId(), job.conversationId(), job.messageId(),
                SendReconciler.fingerprint(reply.text(), reply.mediaType()));
        GatewayClient client = clients.forConnection(connection.get());
        SendResult result;
        try {
            result = reply.mediaUrl() == null
                    ? client.sendText(to, reply.text(), replyTo)
                    : client.sendMedia(to, new OutboundMedia(reply.mediaUrl(), reply.mimeType(), mediaKind(reply), reply.text(),
                            reply.fileName()), replyTo);
        } catch (GatewayException e) {
            return failed(job, e.failure(), attempt);
        }
        SendReconciler.Claim claim = reconciler.claim(session.get(), job.conversationId(), job.messageId(), result.messageId());
        return Outcome.done(claim == SendReconciler.Claim.TAKEN_BY_OTHER ? "sent_id_taken" : "sent");
    }

    private Outcome failed(OutboxJob.Send job, GatewayFailure failure, int attempt) {
        String code = failure.kind().name().toLowerCase(Locale.ROOT);
        LOG.atWarn().addKeyValue("tenantId", job.tenantId()).addKeyValue("sessionId", job.sessionId())
                .addKeyValue("messageId", job.messageId()).addKeyValue("code", code).addKeyValue("httpStatus", failure.httpStatus())
                .addKeyValue("attempt", attempt).log("gateway refused a send");
        if (failure.kind() == GatewayFailure.Kind.TIMEOUT) {
            // It may have been sent: never send it twice. The in-flight mark stays, so a matching echo still makes it sent.
            return fail(job, "timeout", TIMEOUT_REASON);
        }
        reconciler.clearInFlight(job.tenantId(), job.conversationId(), job.messageId());
        if (failure.retryable() && attempt < MAX_SEND_ATTEMPTS) {
            return Outcome.later(backoff(attempt, failure.retryAfter()), "retry");
        }
        return fail(job, code, failure.reason());
    }

    private Outcome fail(OutboxJob.Send job, String code, String reason) {
        boolean written = store.markFailed(job.tenantId(), job.conversationId(), job.messageId(), code, reason);
        return Outcome.done(written ? "failed" : "already_settled");
    }

    private Outcome read(OutboxJob.Read job, int receiveCount) {
        Optional<GatewayConnection> connection = sessions.find(job.sessionId())
                .filter(found -> found.tenantId().equals(job.tenantId()))
                .flatMap(found -> connections.apply(job.sessionId()));
        if (connection.isEmpty()) {
            return Outcome.done("read_no_credentials");
        }
        // Gateways take the ids oldest first (Meta marks the last one, which marks the earlier ones read).
        List<String> oldestFirst = new ArrayList<>(job.messageIds());
        Collections.reverse(oldestFirst);
        try {
            clients.forConnection(connection.get()).markRead(job.chat(), oldestFirst);
            return Outcome.done("read_sent");
        } catch (GatewayException e) {
            LOG.atWarn().addKeyValue("tenantId", job.tenantId()).addKeyValue("sessionId", job.sessionId())
                    .addKeyValue("code", e.failure().kind().name().toLowerCase(Locale.ROOT)).addKeyValue("attempt", receiveCount)
                    .log("read receipt not delivered to the lead");
            if (e.retryable() && receiveCount < MAX_READ_ATTEMPTS) {
                return Outcome.later(backoff(receiveCount, e.failure().retryAfter()), "read_retry");
            }
            return Outcome.done("read_failed");
        }
    }

    /** The lead's address at the gateway: a group's JID, else the phone (E.164), else the id the gateway gave. */
    static String address(StoredReply reply) {
        return Parties.gatewayAddress(reply.group(), reply.conversationId(), reply.phone(), reply.originalId());
    }

    private static MediaKind mediaKind(StoredReply reply) {
        if (reply.view().kind().equals("voice")) {
            return MediaKind.VOICE;
        }
        return switch (reply.mediaType() == null ? "" : reply.mediaType()) {
            case "image" -> MediaKind.IMAGE;
            case "video" -> MediaKind.VIDEO;
            case "audio" -> MediaKind.AUDIO;
            default -> MediaKind.DOCUMENT;
        };
    }

    /** Full jitter, 2 s doubling to 60 s; the gateway's Retry-After when it gave one. */
    static Duration backoff(int attempt, Duration retryAfter) {
        if (retryAfter != null && !retryAfter.isNegative() && !retryAfter.isZero()) {
            return retryAfter.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : retryAfter;
        }
        long cap = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(Math.max(attempt - 1, 0), 10));
        // At least a second: SQS counts visibility in whole seconds, and 0 would hand the job straight back.
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(Math.min(1_000, cap), cap + 1));
    }

    private static String capitalised(String outcome) {
        StringBuilder name = new StringBuilder();
        for (String part : outcome.split("_")) {
            name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return name.toString();
    }
}
