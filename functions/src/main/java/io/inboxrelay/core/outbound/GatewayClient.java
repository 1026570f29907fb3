package io.inboxrelay.core.outbound;

import io.inboxrelay.core.Provider;
import java.util.List;

/**
 * What the outbound half asks of a gateway session: send, mark read, fetch media, register the webhook.
 * One implementation per provider, each over the shared {@link GatewayHttp}.
 *
 * <p>Every method either returns the gateway's answer or throws {@link GatewayException}, whose
 * {@link GatewayFailure} says what went wrong in the gateway's words and whether trying again later can
 * help. No method logs or reports a credential, the message text or a media URL.
 */
public interface GatewayClient {

    Provider provider();

    /**
     * @param to               the lead: E.164 ({@code +5511…}), bare digits, or a JID as the gateway gave it
     * @param text             the text, sent as is
     * @param replyToMessageId the gateway's id of the message this quotes, or null
     * @return the gateway's id of the sent message
     */
    SendResult sendText(String to, String text, String replyToMessageId);

    /**
     * @param to    as for {@link #sendText}
     * @param media a URL the gateway downloads, its type, caption and file name
     * @param replyToMessageId the quoted message, or null (not every gateway quotes media; it is then ignored)
     */
    SendResult sendMedia(String to, OutboundMedia media, String replyToMessageId);

    /**
     * Marks the lead's messages read at the gateway (blue ticks on the lead's phone).
     *
     * @param chat       the chat (the lead) the messages are in
     * @param messageIds the gateway's ids of the lead's messages; at least one
     */
    void markRead(String chat, List<String> messageIds);

    /** The bytes of a message's media, or where to stream them from with which header. */
    FetchedMedia fetchMedia(MediaReference reference);

    /**
     * Points the gateway's webhook for this session at {@code registration.url()}, signed with its secret.
     * A gateway whose API cannot do it answers {@link RegistrationResult#notSupported(String)} and says where
     * it is done instead; it never throws for that.
     */
    RegistrationResult registerWebhook(WebhookRegistration registration);
}
