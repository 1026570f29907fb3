package io.inboxrelay.core.provider;

import io.inboxrelay.core.GatewayEvent;
import java.util.List;

/**
 * What one webhook delivery carried.
 *
 * @param eventName the provider's event name ({@code messages.upsert}, {@code message.ack}, ...), for logs and metrics
 * @param events    canonical events, in delivery order; empty when the event type is ignored
 * @param routes    for each event, the gateway session the payload itself names (Meta's
 *                  {@code metadata.phone_number_id}), or null when only the URL says which session it is
 */
public record ParsedWebhook(String eventName, List<GatewayEvent> events, List<String> routes) {

    public ParsedWebhook {
        events = List.copyOf(events);
        routes = routes == null ? java.util.Collections.nCopies(events.size(), null)
                : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(routes));
        if (routes.size() != events.size()) {
            throw new IllegalArgumentException("one route per event");
        }
    }

    public ParsedWebhook(String eventName, List<GatewayEvent> events) {
        this(eventName, events, null);
    }

    public static ParsedWebhook ignored(String eventName) {
        return new ParsedWebhook(eventName, List.of());
    }

    public boolean isIgnored() {
        return events.isEmpty();
    }
}
