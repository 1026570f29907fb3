package io.inboxrelay.core;

import java.time.Instant;

/**
 * A message seen on a gateway session, incoming or outgoing.
 *
 * @param messageId         the provider's bare message id, the dedupe key inside a tenant (WAHA's
 *                          {@code true_123@c.us_ABC} is reduced to {@code ABC}, so its {@code @lid} twin folds)
 * @param providerMessageId the id exactly as the provider sent it
 * @param direction         lead (incoming) or agent (outgoing, {@code fromMe})
 * @param conversationId    the lead's contact id for a direct chat, {@code group:<id>} for a group
 * @param group             true for {@code @g.us} chats
 * @param contact           the lead: the other party of a direct chat, the sending participant in a group
 *                          (for an outgoing group message, the group itself)
 * @param text              text or caption, may be null (a sticker)
 * @param media             null for plain text
 * @param timestamp         when the gateway says it was sent
 * @param status            initial delivery status (outgoing messages usually start at sent)
 * @param kind              what the message is (docs/MESSAGE-KINDS.md); derived from the media when null
 * @param details           location, contacts, quoted message, … ({@link MessageDetails#NONE} when none)
 */
public record InboundMessage(
        String messageId,
        String providerMessageId,
        Direction direction,
        String conversationId,
        boolean group,
        Party contact,
        String text,
        Media media,
        Instant timestamp,
        MessageStatus status,
        MessageKind kind,
        MessageDetails details) implements GatewayEvent {

    public InboundMessage {
        details = details == null ? MessageDetails.NONE : details;
        kind = kind == null ? MessageKind.ofMedia(media) : kind;
    }

    /** A plain text or media message: its kind follows from the media. */
    public InboundMessage(String messageId, String providerMessageId, Direction direction, String conversationId, boolean group,
            Party contact, String text, Media media, Instant timestamp, MessageStatus status) {
        this(messageId, providerMessageId, direction, conversationId, group, contact, text, media, timestamp, status, null, null);
    }

    /** What an agent reads: the text, else the kind's label ("📷 Photo"). */
    public String content() {
        return kind.content(text);
    }

    /** The same message filed under another conversation and lead (an alias resolved to the phone). */
    public InboundMessage withAddress(String conversationId, Party contact) {
        return new InboundMessage(messageId, providerMessageId, direction, conversationId, group, contact, text, media,
                timestamp, status, kind, details);
    }
}
