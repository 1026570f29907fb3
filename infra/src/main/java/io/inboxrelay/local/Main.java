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
                .withSqsPort(portOrAnyFree(options, "sqs-port", LocalStack.Options.DEFAULT_SQS_PORT, "SQS endpoint", console))
                .withLimits(limits)
                .withPersistDir(options.has("persist") ? Files.createDirectories(Path.of(options.get("persist"))) : null);
        // The simulator first: it binds at once, so a taken port fails before the stack has spent seconds starting.
        GatewaySimulator simulator = simulatorWanted(options)
                ? GatewaySimulator.start(portOrAnyFree(options, "simulator-port", 3002, "gateway simulator", console), simulatorOptions(options))
                : null;
        LocalStack stack = startStack(template, stackOptions, simulator);
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
                  SQS             {}   (the template's queues; aws sqs ... --endpoint-url {})
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
                stack.sqsEndpoint(), stack.sqsEndpoint(),
                demo.tenantId(), demo.sessionId(),
                // Secrets are shown once, when made: a reused session's secret was shown when it was.
                demo.created() ? "secret " + demo.secret() + " - shown once" : "secret from an earlier run; sessions rotate --session " + demo.sessionId() + " for a new one",
                Env.get("JWT_SECRET") != null && !Env.get("JWT_SECRET").isBlank() ? "from JWT_SECRET" : "kept in " + LocalSecret.FILE + " (token mints with it)",
                wsUrl, WebhookSigner.curlCommand(webhookUrl, WebhookSigner.hmacSha256BodyOnly(demo.secret(), body), body),
                demo.tenantId(), demo.tenantId(), demo.tenantId());
        if (simulator != null) {
            DemoTenant.connectGateway(stack, simulator.baseUrl(Provider.INBOX_HUB).toString(), simulator.apiKey());
            console.info(simulatorBanner(simulator, demo, webhookUrl, stack.httpUrl().toString()));
        } else {
            console.info("\nNo gateway simulator (--no-simulator): replies from the page need the demo session's gateway: "
                    + "sessions credentials --session {} --base-url URL --api-key -\n", demo.sessionId());
        }
        if (options.has("stack-file")) {
            writeStackFile(Path.of(options.get("stack-file")), stack, demo, secret, simulator);
        }
        stopped.await();
    }

    private static LocalStack startStack(SamTemplate template, LocalStack.Options options, GatewaySimulator simulator) {
        try {
            return LocalStack.start(template, options);
        } catch (RuntimeException e) {
            if (simulator != null) {
                simulator.close();
            }
            throw e;
        }
    }

    /** On unless --no-simulator; --simulator (the switch from before it was the default) may still be given. */
    private static boolean simulatorWanted(Args options) {
        if (!options.has("no-simulator")) {
            return true;
        }
        for (String option : new String[] {"simulator", "simulator-auto-reply", "no-simulator-auto-reply", "simulator-port"}) {
            if (options.has(option)) {
                throw new io.inboxrelay.local.cli.UsageException("run", "--no-simulator contradicts --" + option);
            }
        }
        return false;
    }

    /** The lead answers each send (3 s later) unless --no-simulator-auto-reply: a reply from the page gets an answer. */
    private static GatewaySimulator.Options simulatorOptions(Args options) {
        if (options.has("no-simulator-auto-reply") && options.has("simulator-auto-reply")) {
            throw new io.inboxrelay.local.cli.UsageException("run", "--no-simulator-auto-reply contradicts --simulator-auto-reply");
        }
        GatewaySimulator.Options simulatorOptions = GatewaySimulator.Options.defaults();
        return options.has("no-simulator-auto-reply") ? simulatorOptions : simulatorOptions.withAutoReply(Duration.ofSeconds(3));
    }

    /**
     * The port an option names, else its default — or, when the default is taken, any free port: the SQS endpoint and
     * the simulator came after scripts that run two stacks side by side with their own --http-port, --ws-port and
     * --dynamo-port, and those must keep working. A port asked for by name still fails when it is taken.
     */
    private static int portOrAnyFree(Args options, String option, int fallback, String what, Logger console) {
        if (options.has(option)) {
            return options.port(option, fallback);
        }
        try (java.net.ServerSocket socket = new java.net.ServerSocket(fallback, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return fallback;
        } catch (java.io.IOException taken) {
            console.info("port {} is in use: the {} takes a free port instead (--{} chooses one)", fallback, what, option);
            return 0;
        }
    }

    /**
     * Wires the demo session to the simulator as an Inbox Hub bridge and says how to send through it. A demo
     * session reused from a persisted database keeps its secret sealed: the simulator cannot sign for it.
     */
    private static String simulatorBanner(GatewaySimulator simulator, DemoTenant demo, String webhookUrl, String page) {
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

                Gateway simulator  %s   (/evolution /waha /meta /inboxhub; API key %s%s; --no-simulator to leave it out)
                  %s
                  the demo session's gateway credentials are stored (sealed, as sessions credentials stores them):
                  reply from the page at %s, or as the gateway's API would be called:
                  curl -sS -X POST '%s' -H 'X-API-Key: %s' -H 'Content-Type: application/json' \\
                    --data-binary '{"to":"+573001234567","text":"Hi! How can I help?"}'
                  Scripted failures by the recipient's last 4 digits: 0000 not on WhatsApp, 1047 outside the 24 h window,
                  0429 rate limited once, 0503 unavailable twice, 0408 answers after 15 s, 0401 session not connected.
                  Control: POST %s/_simulator/options {"echo_first":true,"receipt_delay_ms":300,"auto_reply":false};
                  GET %s/_simulator/calls
                """, simulator.url(), simulator.apiKey(),
                simulator.options().autoReply() ? "; the lead answers each send in 3 s, --no-simulator-auto-reply to stop it" : "",
                wiring, page, sendUrl, simulator.apiKey(), simulator.url(), simulator.url());
    }

    /** What scripts (browser tests, the AWS CLI check) need to drive the running stack. */
    private static void writeStackFile(Path file, LocalStack stack, DemoTenant demo, String secret, GatewaySimulator simulator)
            throws Exception {
        ObjectNode json = Json.object();
        json.put("http", stack.httpUrl().toString());
        json.put("ws", stack.webSocketUrl().toString());
        json.put("management", stack.managementEndpoint().toString());
        json.put("dynamodb", stack.dynamo().endpoint().toString());
        json.put("sqs", stack.sqsEndpoint().toString());
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
