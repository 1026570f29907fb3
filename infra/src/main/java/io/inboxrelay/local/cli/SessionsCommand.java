package io.inboxrelay.local.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.admin.GatewayConnect;
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

/** {@code sessions add|list|rotate|disable|enable|seal|credentials|connect|test}: the session registry, as the admin routes manage it. */
final class SessionsCommand {

    private static final Set<String> DYNAMO = Set.of("dynamo-port", "table", "key-arn");
    private static final Map<String, Set<String>> VALUED = Map.of(
            "add", Set.of("tenant", "session", "provider", "signature", "secret", "secret-env", "verify-token", "allow-cidr",
                    "meta-app"),
            "list", Set.of("tenant"),
            "rotate", Set.of("session", "secret", "secret-env"),
            "disable", Set.of("session"),
            "enable", Set.of("session"),
            "seal", Set.of(),
            "credentials", Set.of("session", "base-url", "api-key", "api-key-env", "gateway-session", "api-version"),
            "connect", Set.of("session", "url", "connections-table"),
            "test", Set.of("session", "url", "connections-table"));
    private static final Set<String> FLAGS = Set.of("aws", "json", "verbose", "revoke-previous");

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
        if (action.equals("connect") || action.equals("test")) {
            return Dynamo.with(args, dynamo -> connect(action, path, args, dynamo, table));
        }
        return Dynamo.with(args, dynamo -> {
            DynamoSessionRegistry registry = new DynamoSessionRegistry(dynamo, table, cipher(args, path), false);
            SessionAdmin admin = new SessionAdmin(registry, context.clock());
            try {
                switch (action) {
                    case "add" -> created(admin.create(new SessionAdmin.NewSession(args.required("tenant"), args.get("session"),
                            args.get("provider", "inboxhub"), args.get("signature"), secret(args, path), args.get("verify-token"),
                            cidrs(args.get("allow-cidr")), args.get("meta-app"))), "created", json);
                    case "list" -> list(admin.list(args.get("tenant")), json, args.get("tenant"));
                    case "rotate" -> created(admin.rotate(args.required("session"), secret(args, path), args.has("revoke-previous")),
                            "rotated", json);
                    case "credentials" -> credentials(admin, args, path, json);
                    case "seal" -> out.println("sealed the plain-text secrets of " + registry.sealPlainSecrets() + " session(s)");
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

    /**
     * What seals session secrets: with --aws the deployed stack's KMS key (--key-arn, else SESSION_SECRETS_KEY_ARN: the
     * stack's SessionSecretsKeyArn output), never a local key; else the local stack's key file, as its functions use it.
     */
    private io.inboxrelay.secrets.SecretsCipher cipher(Args args, String path) {
        if (!Dynamo.aws(args)) {
            if (args.has("key-arn")) {
                throw new UsageException(path, "--key-arn goes with --aws (the local stack seals with its own key)");
            }
            return io.inboxrelay.secrets.SecretsCiphers.local();
        }
        String keyArn = args.get("key-arn", context.env().apply(io.inboxrelay.secrets.SecretsCiphers.KEY_ARN_VARIABLE));
        if (keyArn == null || keyArn.isBlank()) {
            throw new UsageException(path, "--key-arn <SessionSecretsKeyArn output> (or "
                    + io.inboxrelay.secrets.SecretsCiphers.KEY_ARN_VARIABLE + ") is required with --aws: session secrets are"
                    + " sealed with the stack's KMS key");
        }
        return new io.inboxrelay.secrets.EnvelopeCipher(new io.inboxrelay.secrets.KmsDataKeys(
                software.amazon.awssdk.services.kms.KmsClient.builder()
                        .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build(), keyArn));
    }

    private void credentials(SessionAdmin admin, Args args, String path, boolean json) {
        if (args.has("api-key") && !"-".equals(args.get("api-key"))) {
            throw new UsageException(path, "--api-key takes - (standard input) or use --api-key-env NAME: a key on the command line"
                    + " lands in shell history and ps");
        }
        String key = secretFrom(args, path, "api-key", "api-key-env");
        if (key == null) {
            throw new UsageException(path, "--api-key - or --api-key-env NAME is required");
        }
        Session session = admin.setGateway(args.required("session"), args.get("base-url"), key, args.get("gateway-session"),
                args.get("api-version"));
        if (json) {
            context.out().println(Json.write(SessionJson.of(session)));
            return;
        }
        io.inboxrelay.core.GatewaySettings gateway = session.gateway();
        context.out().println("session " + session.sessionId() + " reaches its gateway at "
                + (gateway.baseUrl() == null ? "the Graph API" : gateway.baseUrl())
                + (gateway.gatewaySession() == null ? "" : " as " + gateway.gatewaySession())
                + "; its " + (session.provider() == io.inboxrelay.core.Provider.META ? "access token" : "API key")
                + " is stored sealed and will not be shown again");
    }

    /** {@code sessions connect|test}: opens the session's secret and key, so its cipher must be able to decrypt. */
    private int connect(String action, String path, Args args, software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo,
            String table) {
        String sessionId = args.required("session");
        String url = args.required("url");
        String connectionsTable = Dynamo.aws(args) ? args.required("connections-table") : "ConnectionsTable";
        if (!Dynamo.aws(args) && args.has("connections-table")) {
            throw new UsageException(path, "--connections-table goes with --aws");
        }
        GatewayConnect connect = new GatewayConnect(new DynamoSessionRegistry(dynamo, table, cipher(args, path), true),
                new io.inboxrelay.store.ConnectionStore(dynamo, connectionsTable, java.time.Duration.ZERO, context.clock()),
                new io.inboxrelay.core.outbound.GatewayClients(io.inboxrelay.core.outbound.GatewayHttp.createDefault(),
                        io.inboxrelay.core.outbound.MediaLimits.MAX_PROXY_BYTES),
                java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(3))
                        .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build(),
                context.clock());
        GatewayConnect.Outcome outcome;
        try {
            outcome = action.equals("connect") ? connect.connect(sessionId, url) : connect.test(sessionId, url);
        } catch (io.inboxrelay.core.outbound.GatewayException e) {
            throw new CommandFailure("the gateway refused the registration: " + e.failure().reason());
        } catch (io.inboxrelay.secrets.SealedSecretException e) {
            throw new CommandFailure("the session's secret or key does not open with this key"
                    + (Dynamo.aws(args) ? " (with --aws this needs kms:Decrypt on the SessionSecretsKey)" : "") + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("no session")) {
                throw new CommandFailure(e.getMessage());
            }
            throw new UsageException(path, e.getMessage());
        }
        print(outcome, args.has("json"));
        if (outcome.ok()) {
            return Cli.OK;
        }
        if (outcome.registration() != null && !outcome.registration().registered()) {
            throw new CommandFailure("the webhook is not registered: " + outcome.registration().detail());
        }
        GatewayConnect.Proof proof = outcome.proof();
        throw new CommandFailure("the test event was not accepted: " + (proof.httpStatus() == 0 ? "" : proof.httpStatus() + " ")
                + proof.outcome() + (proof.message() == null ? "" : ": " + proof.message()));
    }

    private void print(GatewayConnect.Outcome outcome, boolean json) {
        PrintStream out = context.out();
        if (json) {
            out.println(Json.write(outcome.toJson()));
            return;
        }
        out.println("webhook URL   " + outcome.webhookUrl());
        if (outcome.registration() != null) {
            out.println((outcome.registration().registered() ? "registered    " : "not registered ") + outcome.registration().detail());
        }
        GatewayConnect.Proof proof = outcome.proof();
        if (proof != null) {
            out.println("test event    " + proof.outcome() + (proof.httpStatus() == 0 ? "" : " (HTTP " + proof.httpStatus() + ")")
                    + " in " + proof.millis() + " ms");
            out.println("browsers      " + proof.browsers() + " of the tenant connected"
                    + (proof.browsers() == 0 ? " (nobody saw it: open the inbox page to watch the next one arrive)" : ", the event was pushed to them"));
        }
    }

    /**
     * A secret the operator chose: from standard input ({@code --secret -}, first line) or an environment
     * variable ({@code --secret-env NAME}), so it stays out of the shell history and {@code ps}; a value on
     * the command line still works (scripts use it) but is warned about. Null: generate one.
     */
    private String secret(Args args, String path) {
        return secretFrom(args, path, "secret", "secret-env");
    }

    private String secretFrom(Args args, String path, String option, String envOption) {
        String value = args.get(option);
        String variable = args.get(envOption);
        if (value != null && variable != null) {
            throw new UsageException(path, "give --" + option + " or --" + envOption + ", not both");
        }
        if (variable != null) {
            String fromEnv = context.env().apply(variable);
            if (fromEnv == null || fromEnv.isBlank()) {
                throw new UsageException(path, "environment variable " + variable + " is not set");
            }
            return fromEnv.strip();
        }
        if ("-".equals(value)) {
            try {
                java.io.BufferedReader reader = new java.io.BufferedReader(
                        new java.io.InputStreamReader(context.in(), java.nio.charset.StandardCharsets.UTF_8));
                String line = reader.readLine();
                if (line == null || line.isBlank()) {
                    throw new UsageException(path, "--" + option + " - reads it from standard input, which was empty");
                }
                return line.strip();
            } catch (java.io.IOException e) {
                throw new CommandFailure("could not read the secret from standard input: " + e.getMessage());
            }
        }
        if (value != null) {
            context.err().println("warning: a secret on the command line lands in shell history and ps; "
                    + "prefer --secret - (standard input) or --secret-env NAME");
        }
        return value;
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
