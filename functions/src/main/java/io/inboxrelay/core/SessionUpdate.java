package io.inboxrelay.core;

import java.time.Instant;

/**
 * The gateway's WhatsApp session changed state.
 *
 * @param state     canonical state
 * @param reason    provider detail (a disconnect code, "loggedOut"), may be null
 * @param timestamp when it happened
 */
public record SessionUpdate(SessionState state, String reason, Instant timestamp) implements GatewayEvent {
}
