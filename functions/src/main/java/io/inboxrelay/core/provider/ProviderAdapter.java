package io.inboxrelay.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.WebhookRequest;

/**
 * Turns one provider's verified webhook body into canonical events. One class per provider;
 * a new gateway is a new implementation plus its fixtures under {@code events/}.
 *
 * <p>Implementations are pure and thread-safe. They never throw anything but
 * {@link MalformedWebhookException} for bad input, whatever the JSON holds.
 */
public interface ProviderAdapter {

    Provider provider();

    /**
     * @param request the request (headers such as {@code X-Webhook-Event}, Evolution's URL suffix)
     * @param body    the parsed JSON body
     * @return the events it carries; an empty list with an event name means "ignored"
     * @throws MalformedWebhookException when the body is not what this provider sends (answered 400)
     */
    ParsedWebhook parse(WebhookRequest request, JsonNode body);
}
