package io.inboxrelay.core.identity;

import io.inboxrelay.core.Session;
import java.util.Optional;

/**
 * The tenant's alias table and the conversation merge it drives (docs/MESSAGE-KINDS.md, "Identity").
 * An alias names an opaque id ({@code lid:<id>}, {@code user:<id>}, or an old phone number) as the same
 * person as a phone contact id; the first pair learned for an opaque id is kept for good.
 */
public interface AliasStore {

    /** The contact id {@code aliasId} is an alias of, read strongly consistent; empty when none is known. */
    Optional<String> canonicalOf(String tenantId, String aliasId);

    /**
     * Records {@code aliasId → canonicalId} unless the alias already names someone.
     *
     * @return what the table holds now, and whether the alias's conversation is merged already
     */
    Learned learn(String tenantId, String aliasId, String canonicalId);

    /**
     * Makes the conversation {@code from} part of {@code into}: its messages move, its unread count is
     * added, it is deleted, and browsers are told ({@code conversation_merged}). Idempotent: running it
     * again, or after a partial run, finishes the job; returns false when it ran out of time before
     * finishing (the next message that carries the pair runs it again).
     */
    boolean merge(Session session, String from, String into);

    /** The conversation an already stored message was filed under, or null when it has none yet. */
    String storedConversationOf(String tenantId, String messageId);

    /**
     * The outcome of {@link #learn}.
     *
     * @param canonicalId the contact id the alias names (the one passed, or an earlier, different one)
     * @param merged      true when the alias's conversation was already merged into it
     */
    record Learned(String canonicalId, boolean merged) {
    }
}
