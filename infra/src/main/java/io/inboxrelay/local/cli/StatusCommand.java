package io.inboxrelay.local.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.DiagnosticsJson;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.event.Channel;
import io.inboxrelay.core.realtime.Connection;
import io.inboxrelay.core.realtime.SessionStatus;
import io.inboxrelay.core.realtime.StoredEvent;
import io.inboxrelay.core.realtime.TenantDiagnosis;
import io.inboxrelay.push.Replay;
import io.inboxrelay.store.ConnectionStore;
import io.inboxrelay.store.EventLog;
import io.inboxrelay.store.SessionStatusReader;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * {@code status --tenant T}: everything between a gateway and a tenant's browsers that can make
 * the browser receive nothing, read from the three tables, and {@link TenantDiagnosis}'s verdict.
 */
final class StatusCommand {

    private static final Set<String> VALUED = Set.of("tenant", "dynamo-port", "table", "sessions-table", "connections-table", "events-table");
    private static final Set<String> FLAGS = Set.of("aws", "json", "verbose");

    /** What the tables say about a tenant. */
    record Report(String tenantId, List<SessionStatus> sessions, List<Connection> connections, Optional<StoredEvent> lastEvent,
            List<StoredEvent> givenUp, TenantDiagnosis.Verdict verdict) {
    }

    private final Cli.Context context;

    StatusCommand(Cli.Context context) {
        this.context = context;
    }

    int run(List<String> arguments) {
        Args args = Args.parse("status", arguments, VALUED, FLAGS);
        String tenant = args.required("tenant");
        boolean aws = Dynamo.aws(args);
        String sessionsTable = aws ? Optional.ofNullable(args.get("sessions-table")).orElseGet(() -> args.get("table")) : "SessionsTable";
        String connectionsTable = aws ? args.required("connections-table") : "ConnectionsTable";
        String eventsTable = aws ? args.required("events-table") : "EventsTable";
        if (sessionsTable == null) {
            throw new UsageException("status", "--sessions-table is required with --aws");
        }
        if (!aws && (args.has("table") || args.has("sessions-table") || args.has("connections-table") || args.has("events-table"))) {
            throw new UsageException("status", "table names go with --aws (the local stack's are the template's logical ids)");
        }
        Instant now = context.clock().instant();
        Report report = Dynamo.with(args, dynamo -> {
            List<SessionStatus> sessions = new SessionStatusReader(dynamo, sessionsTable).forTenant(tenant);
            List<Connection> connections = new ConnectionStore(dynamo, connectionsTable, Duration.ZERO, context.clock()).forTenant(tenant);
            EventLog log = new EventLog(dynamo, eventsTable);
            List<StoredEvent> givenUp = log.resyncMarkers(tenant).stream().filter(StatusCommand::deliveryFailed).toList();
            return new Report(tenant, sessions, connections, log.latest(tenant), givenUp,
                    TenantDiagnosis.of(sessions, connections.size(), now));
        });
        if (args.has("json")) {
            context.out().println(Json.write(json(report)));
        } else {
            print(report, now);
        }
        return Cli.OK;
    }

    private static boolean deliveryFailed(StoredEvent marker) {
        try {
            return Replay.DELIVERY_FAILED.equals(Json.parse(marker.body()).path("reason").asText(null));
        } catch (RuntimeException e) {
            return false;
        }
    }

    static ObjectNode json(Report report) {
        ObjectNode root = Json.object().put("tenant_id", report.tenantId())
                .put("verdict", report.verdict().text())
                .put("verdict_code", report.verdict().code().wireName())
                .put("ok", report.verdict().ok());
        ArrayNode sessions = root.putArray("sessions");
        for (SessionStatus session : report.sessions()) {
            ObjectNode node = sessions.addObject()
                    .put("session_id", session.sessionId())
                    .put("provider", session.provider())
                    .put("enabled", session.enabled())
                    .put("state", session.state())
                    .put("last_webhook_at", iso(session.lastWebhookAt()))
                    .put("last_success_at", iso(session.lastSuccessAt()))
                    .put("last_error", session.lastError());
            DiagnosticsJson.putLastRejection(node, session.lastRejection(),
                    session.lastRejectedAt() == null ? null : Instant.ofEpochMilli(session.lastRejectedAt()), DiagnosticsJson.Times.ISO);
            DiagnosticsJson.putRefusals(node, session.refusals(), DiagnosticsJson.Times.ISO);
        }
        root.put("connections", report.connections().size());
        ObjectNode channels = root.putObject("channels");
        channelCounts(report.connections()).forEach((channel, count) -> channels.put(channel.wireName(), count));
        if (report.lastEvent().isEmpty()) {
            root.putNull("last_event");
        } else {
            StoredEvent event = report.lastEvent().get();
            root.putObject("last_event").put("id", event.cursor()).put("type", event.type()).put("at", iso(event.createdAt()));
        }
        ObjectNode givenUp = root.putObject("given_up").put("count", report.givenUp().size());
        givenUp.put("last_at", report.givenUp().isEmpty() ? null : iso(report.givenUp().get(report.givenUp().size() - 1).createdAt()));
        return root;
    }

    private void print(Report report, Instant now) {
        PrintStream out = context.out();
        out.println("tenant     " + report.tenantId());
        out.println("verdict    " + report.verdict().text());
        out.println();
        if (report.sessions().isEmpty()) {
            out.println("sessions   none (inbox-relay sessions add --tenant " + report.tenantId() + " --provider …)");
        } else {
            TextTable table = new TextTable("SESSION", "PROVIDER", "ENABLED", "STATE", "LAST ACCEPTED", "LAST REJECTION",
                    "REFUSED UNSIGNED");
            for (SessionStatus session : report.sessions()) {
                table.row(session.sessionId(), session.provider(), session.enabled() ? "yes" : "no", session.state(),
                        session.lastSuccessAt() == null ? "never" : at(session.lastSuccessAt(), now),
                        SessionsCommand.rejection(session.lastRejection(),
                                session.lastRejectedAt() == null ? null : Instant.ofEpochMilli(session.lastRejectedAt()), now),
                        SessionsCommand.refusals(session.refusals(), now));
            }
            table.print(out);
        }
        out.println();
        List<Connection> connections = report.connections();
        if (connections.isEmpty()) {
            out.println("browsers   none connected");
        } else {
            StringJoiner channels = new StringJoiner(", ");
            channelCounts(connections).forEach((channel, count) -> channels.add(channel.wireName() + " " + count));
            out.println("browsers   " + connections.size() + " connected (" + channels + ")");
        }
        out.println("last event " + report.lastEvent().map(e -> e.type() + " " + e.cursor() + ", " + at(e.createdAt(), now))
                .orElse("none in the log"));
        List<StoredEvent> givenUp = report.givenUp();
        out.println("given up   " + (givenUp.isEmpty() ? "none in the log's retention"
                : givenUp.size() + (givenUp.size() == 1 ? " delivery" : " deliveries") + " (resync_required, delivery_failed), last "
                        + at(givenUp.get(givenUp.size() - 1).createdAt(), now)));
    }

    private static Map<Channel, Integer> channelCounts(List<Connection> connections) {
        Map<Channel, Integer> counts = new EnumMap<>(Channel.class);
        for (Connection connection : connections) {
            connection.channels().forEach(channel -> counts.merge(channel, 1, Integer::sum));
        }
        return counts;
    }

    private static String at(long epochMillis, Instant now) {
        return Instant.ofEpochMilli(epochMillis) + " (" + TenantDiagnosis.ago(epochMillis, now) + ")";
    }

    private static String iso(Long epochMillis) {
        return epochMillis == null || epochMillis == 0 ? null : Instant.ofEpochMilli(epochMillis).toString();
    }
}
