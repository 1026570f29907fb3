package io.inboxrelay.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.config.Env;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.auth.TokenMinter;
import io.inboxrelay.core.signature.WebhookSigner;
import io.inboxrelay.local.cli.Args;
import io.inboxrelay.local.cli.Cli;
import io.inboxrelay.local.gateway.GatewaySimulator;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.local.ws.WsLimits;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code infra/bin/inbox-relay [command] [options]} (or {@code java -jar infra/target/inbox-relay-infra-*.jar}):
 * {@code run} (the default) runs the local stack; {@code token}, {@code sessions}, {@code status} and
 * {@code tail} are the operator's tools ({@link Cli}). Sets up logging before anything logs: the
 * tools print only their own output unless {@code --verbose}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        boolean verbose = Cli.verbose(args);
        String command = Cli.command(args);
        quietLogging(command.equals("run"), verbose);
        if (System.getProperty("sqlite4java.library.path") == null) {
            nativeLibraries().ifPresent(dir -> System.setProperty("sqlite4java.library.path", dir.toString()));
        }
        CountDownLatch stop = new CountDownLatch(1);
        if (command.equals("tail")) {
            stopOnInterrupt(stop);
        }
        Cli cli = new Cli(new Cli.Context(System.out, System.err, Clock.systemUTC(), LocalSecret::jwtSecret, stop), Main::run);
        int code = cli.run(args);
        System.out.flush();
        org.apache.logging.log4j.LogManager.shutdown();
        System.exit(code);
    }

    /**
     * The functions' own JSON backend is on the classpath too; the local stack logs through log4j2
     * (JSON lines on standard output), the tools through a configuration that is silent unless
     * {@code --verbose}. SLF4J's "Attempting to load provider" notice and java.util.logging's
     * warnings (DynamoDB Local's SDK v1 about JAXB) are noise on standard error.
     */
    private static void quietLogging(boolean stack, boolean verbose) {
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.apache.logging.slf4j.SLF4JServiceProvider");
        }
        if (System.getProperty("slf4j.internal.verbosity") == null && !verbose) {
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", stack ? "log4j2-local.xml" : "log4j2-cli.xml");
        }
        if (!stack && System.getProperty("inboxrelay.cli.log-level") == null) {
            System.setProperty("inboxrelay.cli.log-level", verbose ? "debug" : "off");
        }
        if (!verbose) {
            java.util.logging.LogManager.getLogManager().reset();
        }
    }

    /** Ctrl-C (and a plain kill) end {@code tail} cleanly, with exit code 0. */
    private static void stopOnInterrupt(CountDownLatch stop) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.countDown());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // No such signal here: the JVM's default handling stays.
            }
        }
    }

    private static void run(Args options) throws Exception {
        Logger console = LoggerFactory.getLogger("io.inboxrelay.local.console");
        SamTemplate template = options.has("template") ? SamTemplate.load(Path.of(options.get("template"))) : SamTemplate.fromRepository();
        WsLimits limits = WsLimits.AWS;
        if (options.has("idle-timeout")) {
            limits = limits.withIdleTimeout(Duration.ofSeconds(options.number("idle-timeout", 600)));
        }
        if (options.has("max-connection")) {
            limits = limits.withMaxDuration(Duration.ofSeconds(options.number("max-connection", 7200)));
        }
        String secret = LocalSecret.jwtSecret();
        LocalStack.Options stackOptions = LocalStack.Options.defaults(secret)
                .withPorts(options.port("http-port", 3000), options.port("ws-port", 3001), options.port("dynamo-port", 8000))
                .withLimits(limits)
                .withPersistDir(options.has("persist") ? Files.createDirectories(Path.of(options.get("persist"))) : null);
        LocalStack stack = LocalStack.start(template, stackOptions);
        GatewaySimulator simulator;
        try {
            simulator = options.has("simulator") || options.has("simulator-auto-reply")
                    ? GatewaySimulator.start(options.port("simulator-port", 3002), simulatorOptions(options))
                    : null;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            console.info("stopping the local stack");
            if (simulator != null) {
                simulator.close();
            }
            stack.close();
            org.apache.logging.log4j.LogManager.shutdown();
            stopped.countDown();
        }, "local-stack-shutdown"));

        DemoTenant demo = DemoTenant.seed(stack);
        String token = new TokenMinter(secret).mint(demo.tenantId(), "demo-user", Duration.ofHours(12));
        byte[] body = DemoTenant.sampleWebhook(Instant.now());
        String webhookUrl = stack.httpUrl() + "/webhooks/" + demo.sessionId();
        String wsUrl = stack.webSocketUrl() + "?token=" + token;
        console.info("""

                inbox-relay local stack is up ({} functions from {})
                  HTTP API        {}   (browser client at /)
                  Webhook URL     {}
                  WebSocket       {}
                  @connections    {}   (aws apigatewaymanagementapi ... --endpoint-url {})
                  DynamoDB Local  {}   ({})
                  Demo tenant     {}, gateway session {} (inboxhub, hmac-sha256, {})
                  JWT secret      HS256, {}

                Watch a webhook arrive - in one terminal:
                  wscat -c '{}'
                and in another:
                {}

                More tokens: infra/bin/inbox-relay token --tenant {} --user agent-1
                Why nothing arrives: infra/bin/inbox-relay status --tenant {}    Watch events: infra/bin/inbox-relay tail --tenant {}
                Ctrl-C stops everything.
                """,
                template.functions().size(), template.stage() + " stage of template.yaml",
                stack.httpUrl(), webhookUrl, wsUrl, stack.managementEndpoint(), stack.managementEndpoint(),
                stack.dynamo().endpoint(), stackOptions.persistDir() == null ? "in memory" : "persisted in " + stackOptions.persistDir(),
                demo.tenantId(), demo.sessionId(),
                // Secrets are shown once, when made: a reused session's secret was shown when it was.
                demo.created() ? "secret " + demo.secret() + " - shown once" : "secret from an earlier run; sessions rotate --session " + demo.sessionId() + " for a new one",
                Env.get("JWT_SECRET") != null && !Env.get("JWT_SECRET").isBlank() ? "from JWT_SECRET" : "kept in " + LocalSecret.FILE + " (token mints with it)",
                wsUrl, WebhookSigner.curlCommand(webhookUrl, WebhookSigner.hmacSha256BodyOnly(demo.secret(), body), body),
                demo.tenantId(), demo.tenantId(), demo.tenantId());
        if (simulator != null) {
            console.info(simulatorBanner(simulator, demo, webhookUrl));
        }
        if (options.has("stack-file")) {
            writeStackFile(Path.of(options.get("stack-file")), stack, demo, secret, simulator);
        }
        stopped.await();
    }

    private static GatewaySimulator.Options simulatorOptions(Args options) {
        GatewaySimulator.Options simulatorOptions = GatewaySimulator.Options.defaults();
        return options.has("simulator-auto-reply") ? simulatorOptions.withAutoReply(Duration.ofSeconds(3)) : simulatorOptions;
    }

    /**
     * Wires the demo session to the simulator as an Inbox Hub bridge and says how to send through it. A demo
     * session reused from a persisted database keeps its secret sealed: the simulator cannot sign for it.
     */
    private static String simulatorBanner(GatewaySimulator simulator, DemoTenant demo, String webhookUrl) {
        String sendUrl = simulator.baseUrl(Provider.INBOX_HUB) + "/api/sessions/" + demo.sessionId() + "/messages";
        String wiring;
        if (demo.created()) {
            simulator.registerSession(Provider.INBOX_HUB, demo.sessionId(), webhookUrl, demo.secret(), SignatureKind.HMAC_SHA256);
            wiring = "demo session wired: its echo, delivery and read receipts come back signed to " + webhookUrl;
        } else {
            wiring = "demo session reused from the persisted database: wire it with sessions rotate --session " + demo.sessionId()
                    + " and a fresh run, or run without --persist";
        }
        return String.format("""

                Gateway simulator  %s   (/evolution /waha /meta /inboxhub; API key %s%s)
                  %s
                Reply as an agent would (the bubble's ticks arrive over the WebSocket):
                  curl -sS -X POST '%s' -H 'X-API-Key: %s' -H 'Content-Type: application/json' \\
                    --data-binary '{"to":"+573001234567","text":"Hi! How can I help?"}'
                """, simulator.url(), simulator.apiKey(), simulator.options().autoReply() ? "; auto-reply on" : "",
                wiring, sendUrl, simulator.apiKey());
    }

    /** What scripts (browser tests, the AWS CLI check) need to drive the running stack. */
    private static void writeStackFile(Path file, LocalStack stack, DemoTenant demo, String secret, GatewaySimulator simulator)
            throws Exception {
        ObjectNode json = Json.object();
        json.put("http", stack.httpUrl().toString());
        json.put("ws", stack.webSocketUrl().toString());
        json.put("management", stack.managementEndpoint().toString());
        json.put("dynamodb", stack.dynamo().endpoint().toString());
        json.put("tenant", demo.tenantId());
        json.put("sessionId", demo.sessionId());
        json.put("webhookSecret", demo.secret());
        json.put("jwtSecret", secret);
        if (simulator != null) {
            json.put("simulator", simulator.url().toString());
            json.put("simulatorApiKey", simulator.apiKey());
        }
        Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), "stack", ".json");
        Files.writeString(temporary, Json.write(json));
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** infra/target/native-libs next to the jar (DynamoDB Local's SQLite needs its native library there). */
    private static java.util.Optional<Path> nativeLibraries() {
        try {
            Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = jar.getParent().resolve("native-libs");
            return Files.isDirectory(dir) ? java.util.Optional.of(dir) : java.util.Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
