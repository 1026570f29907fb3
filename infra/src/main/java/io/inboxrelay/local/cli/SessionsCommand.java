package io.inboxrelay.local.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.admin.SessionAdmin;
import io.inboxrelay.admin.SessionJson;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.WebhookRejection;
import io.inboxrelay.core.realtime.TenantDiagnosis;
import io.inboxrelay.store.DynamoSessionRegistry;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code sessions add|list|rotate|disable|enable}: the session registry, as the admin routes manage it. */
final class SessionsCommand {

    private static final Set<String> DYNAMO = Set.of("dynamo-port", "table");
    private static final Map<String, Set<String>> VALUED = Map.of(
            "add", Set.of("tenant", "session", "provider", "signature", "secret", "verify-token", "allow-cidr"),
            "list", Set.of("tenant"),
            "rotate", Set.of("session", "secret"),
            "disable", Set.of("session"),
            "enable", Set.of("session"));
    private static final Set<String> FLAGS = Set.of("aws", "json", "verbose");

    private final Cli.Context context;

    SessionsCommand(Cli.Context context) {
        this.context = context;
    }

    int run(String action, String path, List<String> arguments) {
        Args args = Args.parse(path, arguments, Cli.union(VALUED.get(action), DYNAMO), FLAGS);
        String table = Dynamo.aws(args) ? args.required("table") : "SessionsTable";
        if (!Dynamo.aws(args) && args.has("table")) {
            throw new UsageException(path, "--table goes with --aws (the local stack's table is SessionsTable)");
        }
        boolean json = args.has("json");
        PrintStream out = context.out();
        return Dynamo.with(args, dynamo -> {
            SessionAdmin admin = new SessionAdmin(new DynamoSessionRegistry(dynamo, table), context.clock());
            try {
                switch (action) {
                    case "add" -> created(admin.create(new SessionAdmin.NewSession(args.required("tenant"), args.get("session"),
                            args.get("provider", "inboxhub"), args.get("signature"), args.get("secret"), args.get("verify-token"),
                            cidrs(args.get("allow-cidr")))), "created", json);
                    case "list" -> list(admin.list(args.get("tenant")), json, args.get("tenant"));
                    case "rotate" -> created(admin.rotate(args.required("session"), args.get("secret")), "rotated", json);
                    default -> {
                        Session session = admin.setEnabled(args.required("session"), action.equals("enable"));
                        if (json) {
                            out.println(Json.write(SessionJson.of(session)));
                        } else {
                            out.println("session " + session.sessionId() + (session.enabled() ? " enabled" : " disabled")
                                    + (session.enabled() ? "" : ": its webhooks are refused 404 until it is enabled"));
                        }
                    }
                }
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("no session")) {
                    throw new CommandFailure(e.getMessage());
                }
                throw new UsageException(path, e.getMessage());
            }
            return Cli.OK;
        });
    }

    /** The session and its secret: shown this once. */
    private void created(SessionAdmin.Created created, String what, boolean json) {
        Session session = created.session();
        PrintStream out = context.out();
        if (json) {
            ObjectNode node = SessionJson.of(session);
            node.put("secret", created.secret());
            node.put("secret_note", "shown once: store it in the gateway's webhook settings now");
            out.println(Json.write(node));
            return;
        }
        out.println(what + " session " + session.sessionId() + " for tenant " + session.tenantId()
                + " (" + session.provider().wireName() + ", " + session.signature().wireName() + ")");
        out.println("  webhook path  /webhooks/" + session.sessionId());
        out.println("  secret        " + created.secret());
        out.println("                shown once: store it in the gateway's webhook settings now");
        if (what.equals("rotated")) {
            out.println("                the previous secret stays valid until the next rotation");
        }
    }

    private void list(List<Session> sessions, boolean json, String tenant) {
        PrintStream out = context.out();
        if (json) {
            sessions.forEach(session -> out.println(Json.write(SessionJson.of(session))));
            return;
        }
        if (sessions.isEmpty()) {
            out.println(tenant == null ? "no sessions" : "no sessions for tenant " + tenant);
            return;
        }
        Instant now = context.clock().instant();
        TextTable table = new TextTable("SESSION", "TENANT", "PROVIDER", "SIGNATURE", "ENABLED", "STATE", "LAST ACCEPTED", "LAST REJECTION");
        for (Session session : sessions) {
            table.row(session.sessionId(), session.tenantId(), session.provider().wireName(), session.signature().wireName(),
                    session.enabled() ? "yes" : "no", session.state() == null ? null : session.state().wireName(),
                    ago(session.lastSuccessAt(), now), rejection(session.lastRejection(), session.lastRejectedAt(), now));
        }
        table.print(out);
    }

    static String ago(Instant at, Instant now) {
        return at == null ? "never" : TenantDiagnosis.ago(at.toEpochMilli(), now);
    }

    /** The refusal counters in a line: {@code 401 bad_signature ×3, 2 minutes ago: signature does not match …}. */
    static String refusals(java.util.Map<String, io.inboxrelay.core.RejectionTally> tallies, Instant now) {
        if (tallies.isEmpty()) {
            return null;
        }
        java.util.StringJoiner line = new java.util.StringJoiner("; ");
        tallies.values().stream()
                .sorted(java.util.Comparator.comparing(io.inboxrelay.core.RejectionTally::lastAt,
                        java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())).reversed())
                .forEach(tally -> line.add(rejection(new WebhookRejection(tally.status(), tally.code() + " ×" + tally.count(),
                        tally.reason()), tally.lastAt(), now)));
        return line.toString();
    }

    static String rejection(WebhookRejection rejection, Instant at, Instant now) {
        if (rejection == null) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        if (rejection.status() > 0) {
            text.append(rejection.status()).append(' ');
        }
        text.append(rejection.code());
        if (at != null) {
            text.append(", ").append(TenantDiagnosis.ago(at.toEpochMilli(), now));
        }
        if (rejection.reason() != null) {
            text.append(": ").append(rejection.reason());
        }
        return text.toString();
    }

    private static List<String> cidrs(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        return List.of(commaSeparated.split("\\s*,\\s*"));
    }
}
