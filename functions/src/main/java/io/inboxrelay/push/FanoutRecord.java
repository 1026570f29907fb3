package io.inboxrelay.push;

import io.inboxrelay.core.realtime.StoredEvent;

/** One stream record to push: its sequence number (for batchItemFailures) and the event it carries. */
public record FanoutRecord(String sequenceNumber, StoredEvent event) {
}
