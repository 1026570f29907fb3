package io.inboxrelay.core.provider;

import io.inboxrelay.core.GatewayEvent;
import java.util.List;

/**
 * What one webhook delivery carried.
 *
 * @param eventName the provider's event name ({@code messages.upsert}, {@code message.ack}, ...), for logs and metrics
 * @param events    canonical events, in delivery order; empty when the event type is ignored
 */
public record ParsedWebhook(String eventName, List<GatewayEvent> events) {

    public ParsedWebhook {
        events = List.copyOf(events);
    }

    public static ParsedWebhook ignored(String eventName) {
        return new ParsedWebhook(eventName, List.of());
    }

    public boolean isIgnored() {
        return events.isEmpty();
    }
}
