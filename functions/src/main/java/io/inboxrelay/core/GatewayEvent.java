package io.inboxrelay.core;

/** One thing a webhook told us, in the canonical model every provider adapter produces. */
public sealed interface GatewayEvent permits InboundMessage, MessageChange, StatusUpdate, SessionUpdate {
}
