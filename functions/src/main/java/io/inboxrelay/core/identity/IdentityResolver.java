package io.inboxrelay.core.identity;

import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.MessageChange;
import io.inboxrelay.core.MessageDetails;
import io.inboxrelay.core.MessageKind;
import io.inboxrelay.core.Party;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.StatusUpdate;
import io.inboxrelay.core.ingest.InboxStore.StoreOutcome;
import io.inboxrelay.core.phone.PhoneNumbers;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One person, one conversation, whichever of their ids a payload uses (docs/MESSAGE-KINDS.md,
 * "Identity"). Before a message is stored, an opaque id ({@code lid:}, {@code user:}) with a known
 * alias is filed under the phone's conversation; after, a pair the payload carried is learned and
 * the opaque conversation merged into the phone's. A twin delivery (same message id, a better
 * address) learns the pair from the stored copy instead of being dropped.
 *
 * <p>Known aliases and finished merges are kept per container: an alias never changes once learned,
 * so a steady stream of paired messages costs no write after the first.
 */
public final class IdentityResolver {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityResolver.class);
    private static final int CACHE_ENTRIES = 10_000;

    private final AliasStore aliases;
    private final Map<String, String> known = lru();
    private final Set<String> merged = Collections.newSetFromMap(lru());

    public IdentityResolver(AliasStore aliases) {
        this.aliases = aliases;
    }

    /** The message as it should be filed: an opaque lead with a known alias becomes the phone's. */
    public InboundMessage resolve(String tenantId, InboundMessage message) {
        Party lead = message.contact();
        if (!lead.opaque()) {
            return message;
        }
        Optional<String> canonical = canonicalOf(tenantId, lead.contactId());
        if (canonical.isEmpty()) {
            return message;
        }
        Party resolved = lead.resolvedTo(canonical.get(), PhoneNumbers.e164(canonical.get()));
        String conversationId = message.group() ? message.conversationId() : canonical.get();
        return message.withAddress(conversationId, resolved);
    }

    /** A receipt names the conversation the message was filed under. */
    public StatusUpdate resolve(String tenantId, StatusUpdate update) {
        if (!Party.isOpaque(update.conversationId())) {
            return update;
        }
        return canonicalOf(tenantId, update.conversationId())
                .map(canonical -> new StatusUpdate(update.messageId(), canonical, update.status(), update.reason(), update.timestamp()))
                .orElse(update);
    }

    /** A reaction, edit or deletion names the conversation its target was filed under. */
    public MessageChange resolve(String tenantId, MessageChange change) {
        if (!Party.isOpaque(change.conversationId())) {
            return change;
        }
        return canonicalOf(tenantId, change.conversationId())
                .map(canonical -> new MessageChange(change.changeId(), change.targetMessageId(), canonical, change.actor(),
                        change.type(), change.emoji(), change.newText(), change.timestamp()))
                .orElse(change);
    }

    /**
     * Learns what the stored message taught and merges conversations that name one person.
     *
     * @param received the message as the adapter read it
     * @param filed    the message as {@link #resolve} filed it
     */
    public void afterStore(Session session, InboundMessage received, InboundMessage filed, StoreOutcome outcome) {
        String tenant = session.tenantId();
        Party lead = filed.contact();
        if (lead.aliasId() != null && !lead.opaque()) {
            link(session, lead.aliasId(), lead.contactId());
        }
        if (filed.group()) {
            return;
        }
        String newNumber = changedNumber(filed);
        if (newNumber != null && !newNumber.equals(lead.contactId()) && !lead.opaque()) {
            link(session, lead.contactId(), newNumber); // the customer's history follows them to the new number
            return;
        }
        if (outcome == StoreOutcome.STORED && lead.opaque()) {
            // Stored under the opaque id: if its alias was learned meanwhile, this message raced the merge.
            aliases.canonicalOf(tenant, lead.contactId()).ifPresent(canonical -> {
                known.put(key(tenant, lead.contactId()), canonical);
                runMerge(session, lead.contactId(), canonical);
            });
        } else if (outcome == StoreOutcome.DUPLICATE) {
            twin(session, filed);
        }
    }

    /** The new number a Meta {@code system} notice announces ({@code user_changed_number}), or null. */
    private static String changedNumber(InboundMessage message) {
        if (message.kind() != MessageKind.SYSTEM || message.details().system() == null) {
            return null;
        }
        MessageDetails.SystemNotice notice = message.details().system();
        boolean numberChange = notice.type() != null && notice.type().endsWith("changed_number");
        return numberChange ? PhoneNumbers.canonicalDigits(notice.newPhone()) : null;
    }

    /** A duplicate whose stored copy sits under another form of the same person's id. */
    private void twin(Session session, InboundMessage filed) {
        String stored = aliases.storedConversationOf(session.tenantId(), filed.messageId());
        String here = filed.conversationId();
        if (stored == null || stored.equals(here) || stored.startsWith("group:")) {
            return;
        }
        if (Party.isOpaque(stored) && !Party.isOpaque(here)) {
            link(session, stored, here);
        } else if (!Party.isOpaque(stored) && Party.isOpaque(here)) {
            link(session, here, stored);
        }
    }

    /** Records {@code alias → canonical} and merges the alias's conversation into the canonical one. */
    public void link(Session session, String alias, String canonical) {
        String tenant = session.tenantId();
        String pair = key(tenant, alias);
        if (merged.contains(pair) && canonical.equals(known.get(pair))) {
            return;
        }
        AliasStore.Learned learned = aliases.learn(tenant, alias, canonical);
        known.put(pair, learned.canonicalId());
        if (!learned.canonicalId().equals(canonical)) {
            LOG.warn("alias already names another contact; kept the first tenantId={} alias={}", tenant, alias);
        }
        if (learned.merged()) {
            merged.add(pair);
            return;
        }
        runMerge(session, alias, learned.canonicalId());
    }

    private void runMerge(Session session, String from, String into) {
        if (aliases.merge(session, from, into)) {
            merged.add(key(session.tenantId(), from));
        }
    }

    private Optional<String> canonicalOf(String tenantId, String alias) {
        String cached = known.get(key(tenantId, alias));
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<String> found = aliases.canonicalOf(tenantId, alias);
        found.ifPresent(canonical -> known.put(key(tenantId, alias), canonical));
        return found;
    }

    private static String key(String tenantId, String alias) {
        return tenantId + '\u0000' + alias;
    }

    private static <V> Map<String, V> lru() {
        return Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > CACHE_ENTRIES;
            }
        });
    }
}
