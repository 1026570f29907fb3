package io.inboxrelay.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;

/**
 * A session's webhook diagnostics in JSON, one shape wherever they are shown: the admin routes and
 * {@code sessions list} (ISO-8601 times), the {@code status} WebSocket route (epoch milliseconds) and the
 * {@code status} tool (ISO-8601).
 */
public final class DiagnosticsJson {

    /** How times are written. */
    public enum Times { ISO, EPOCH_MILLIS }

    private DiagnosticsJson() {
    }

    /** {@code last_rejection}: the last refused signed webhook, or null. */
    public static void putLastRejection(ObjectNode node, WebhookRejection rejection, Instant at, Times times) {
        if (rejection == null) {
            node.putNull("last_rejection");
            return;
        }
        ObjectNode last = node.putObject("last_rejection");
        if (rejection.status() > 0) {
            last.put("status", rejection.status());
        } else {
            last.putNull("status");
        }
        last.put("code", rejection.code()).put("reason", rejection.reason());
        putTime(last, "at", at, times);
    }

    /** {@code refusals}: the counters of refused requests that proved nothing, by code ({@code {}} when none). */
    public static void putRefusals(ObjectNode node, Map<String, RejectionTally> refusals, Times times) {
        ObjectNode all = node.putObject("refusals");
        refusals.values().forEach(tally -> {
            ObjectNode counted = all.putObject(tally.code()).put("status", tally.status()).put("count", tally.count());
            putTime(counted, "last_at", tally.lastAt(), times);
            counted.put("reason", tally.reason());
        });
    }

    public static void putTime(ObjectNode node, String field, Instant at, Times times) {
        if (at == null) {
            node.putNull(field);
        } else if (times == Times.ISO) {
            node.put(field, at.toString());
        } else {
            node.put(field, at.toEpochMilli());
        }
    }
}
