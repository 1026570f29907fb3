package io.inboxrelay.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.admin.SessionAdmin;
import io.inboxrelay.admin.SessionJson;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.auth.TokenMinter;
import io.inboxrelay.core.signature.WebhookSigner;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.local.ws.WsLimits;
import io.inboxrelay.store.DynamoSessionRegistry;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import io.inboxrelay.secrets.EnvelopeCipher;
import io.inboxrelay.secrets.KmsDataKeys;
import io.inboxrelay.secrets.SecretsCipher;
import io.inboxrelay.secrets.SecretsCiphers;

/**
 * {@code java -jar infra/target/inbox-relay-infra-*.jar [options]} runs the local stack;
 * {@code token ...} and {@code sessions ...} are the developer's tools against a running one.
 */
public final class Main {

    private static final String USAGE = """
            usage:
              (run)     [--http-port 3000] [--ws-port 3001] [--dynamo-port 8000] [--persist DIR] [--template FILE]
                        [--idle-timeout SECONDS] [--max-connection SECONDS] [--stack-file FILE]
              token     --tenant T [--user U] [--ttl SECONDS]
              sessions  add --tenant T [--session S] [--provider inboxhub|evolution|waha|meta] [--signature S] [--secret X]
                            [--verify-token V] [--allow-cidr CIDR,CIDR]
                        (--signature: hmac-sha256, hmac-sha256-body, standard-webhooks, waha-hmac-sha512, meta-sha256,
                         evolution-jwt, static-token; default: the provider's own)
              sessions  list [--tenant T]
              sessions  rotate --session S [--secret X]
              sessions  disable|enable --session S
              sessions  seal        (seals the secrets of sessions registered before secrets were sealed)
              (sessions talk to the running stack's DynamoDB Local, --dynamo-port (default 8000); with
               --aws --table <SessionsTable name> --key-arn <SessionSecretsKeyArn> they talk to the deployed
               registry with your AWS credentials)""";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // The functions' own JSON backend is on the classpath too; the local stack logs through log4j2.
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.apache.logging.slf4j.SLF4JServiceProvider");
        }
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "log4j2-local.xml");
        }
        if (System.getProperty("sqlite4java.library.path") == null) {
            nativeLibraries().ifPresent(dir -> System.setProperty("sqlite4java.library.path", dir.toString()));
        }
        Logger console = LoggerFactory.getLogger("io.inboxrelay.local.console");
        List<String> rest = new ArrayList<>(List.of(args));
        String command = rest.isEmpty() || rest.get(0).startsWith("--") ? "run" : rest.remove(0);
        try {
            Map<String, String> options = options(rest);
            switch (command) {
                case "run" -> run(options, console);
                case "token" -> console.info(new TokenMinter(LocalSecret.jwtSecret()).mint(required(options, "tenant"),
                        options.getOrDefault("user", "local-user"), Duration.ofSeconds(Long.parseLong(options.getOrDefault("ttl", "3600")))));
                case "sessions" -> sessions(rest.isEmpty() ? "list" : rest.get(0), options, console);
                case "help", "--help", "-h" -> console.info(USAGE);
                default -> throw new IllegalArgumentException("unknown command '" + command + "'");
            }
        } catch (IllegalArgumentException | PortInUseException e) {
            console.error("error: {}", e.getMessage());
            if (e instanceof IllegalArgumentException) {
                console.error(USAGE);
            }
            org.apache.logging.log4j.LogManager.shutdown();
            System.exit(2);
        }
    }

    private static void run(Map<String, String> options, Logger console) throws Exception {
        SamTemplate template = options.containsKey("template") ? SamTemplate.load(Path.of(options.get("template"))) : SamTemplate.fromRepository();
        WsLimits limits = WsLimits.AWS;
        if (options.containsKey("idle-timeout")) {
            limits = limits.withIdleTimeout(Duration.ofSeconds(Long.parseLong(options.get("idle-timeout"))));
        }
        if (options.containsKey("max-connection")) {
            limits = limits.withMaxDuration(Duration.ofSeconds(Long.parseLong(options.get("max-connection"))));
        }
        String secret = LocalSecret.jwtSecret();
        LocalStack.Options stackOptions = LocalStack.Options.defaults(secret)
                .withPorts(port(options, "http-port", 3000), port(options, "ws-port", 3001), port(options, "dynamo-port", 8000))
                .withLimits(limits)
                .withPersistDir(options.containsKey("persist") ? Files.createDirectories(Path.of(options.get("persist"))) : null);
        LocalStack stack = LocalStack.start(template, stackOptions);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            console.info("stopping the local stack");
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
                  Demo tenant     {}, gateway session {} (inboxhub, hmac-sha256, secret {})
                  JWT secret      {} (HS256; set JWT_SECRET or keep {})

                Watch a webhook arrive - in one terminal:
                  wscat -c '{}'
                and in another:
                {}

                More tokens: java -jar infra/target/inbox-relay-infra-0.1.0-SNAPSHOT.jar token --tenant {} --user agent-1
                Ctrl-C stops everything.
                """,
                template.functions().size(), template.stage() + " stage of template.yaml",
                stack.httpUrl(), webhookUrl, wsUrl, stack.managementEndpoint(), stack.managementEndpoint(),
                stack.dynamo().endpoint(), stackOptions.persistDir() == null ? "in memory" : "persisted in " + stackOptions.persistDir(),
                demo.tenantId(), demo.sessionId(), demo.secret(), secret, LocalSecret.FILE,
                wsUrl, WebhookSigner.curlCommand(webhookUrl, WebhookSigner.hmacSha256BodyOnly(demo.secret(), body), body),
                demo.tenantId());
        if (options.containsKey("stack-file")) {
            writeStackFile(Path.of(options.get("stack-file")), stack, demo, secret);
        }
        stopped.await();
    }

    /** What scripts (browser tests, the AWS CLI check) need to drive the running stack. */
    private static void writeStackFile(Path file, LocalStack stack, DemoTenant demo, String secret) throws Exception {
        ObjectNode json = Json.object();
        json.put("http", stack.httpUrl().toString());
        json.put("ws", stack.webSocketUrl().toString());
        json.put("management", stack.managementEndpoint().toString());
        json.put("dynamodb", stack.dynamo().endpoint().toString());
        json.put("tenant", demo.tenantId());
        json.put("sessionId", demo.sessionId());
        json.put("webhookSecret", demo.secret());
        json.put("jwtSecret", secret);
        Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), "stack", ".json");
        Files.writeString(temporary, Json.write(json));
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void sessions(String action, Map<String, String> options, Logger console) {
        // --aws: the deployed registry (default AWS credentials and region, --table from the stack's outputs);
        // otherwise the running local stack's DynamoDB Local.
        boolean aws = options.containsKey("aws");
        URI endpoint = URI.create("http://" + LocalStack.HOST + ":" + port(options, "dynamo-port", 8000));
        String table = aws ? required(options, "table") : "SessionsTable";
        var builder = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
        if (!aws) {
            builder.endpointOverride(endpoint).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        }
        try (DynamoDbClient dynamo = builder.build()) {
            DynamoSessionRegistry registry = new DynamoSessionRegistry(dynamo, table, sessionsCipher(aws, options), false);
            SessionAdmin admin = new SessionAdmin(registry, Clock.systemUTC());
            switch (action) {
                case "add" -> console.info(Json.write(withSecret(admin.create(new SessionAdmin.NewSession(required(options, "tenant"),
                        options.get("session"), options.getOrDefault("provider", "inboxhub"), options.get("signature"),
                        options.get("secret"), options.get("verify-token"), cidrs(options.get("allow-cidr")))))));
                case "list" -> admin.list(options.get("tenant")).forEach(session -> console.info(Json.write(SessionJson.of(session))));
                case "rotate" -> console.info(Json.write(withSecret(admin.rotate(required(options, "session"), options.get("secret")))));
                case "disable", "enable" -> console.info(Json.write(SessionJson.of(admin.setEnabled(required(options, "session"), action.equals("enable")))));
                case "seal" -> console.info("sealed the plain-text secrets of " + registry.sealPlainSecrets() + " session(s)");
                default -> throw new IllegalArgumentException("unknown sessions action '" + action + "' (add, list, rotate, disable, enable, seal)");
            }
        } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
            throw new IllegalArgumentException(aws ? "cannot reach DynamoDB: " + e.getMessage()
                    : "cannot reach DynamoDB Local at " + endpoint + " - is the local stack running?");
        }
    }

    /**
     * What seals session secrets: with --aws the deployed stack's KMS key (--key-arn, else SESSION_SECRETS_KEY_ARN: the
     * stack's SessionSecretsKeyArn output), never a local key; else the local stack's key file, as the functions use it.
     */
    private static SecretsCipher sessionsCipher(boolean aws, Map<String, String> options) {
        if (!aws) {
            // The running stack seals with its local key whatever this shell exports (LocalStack blanks the KMS variable).
            return SecretsCiphers.local();
        }
        String keyArn = options.getOrDefault("key-arn", System.getenv(SecretsCiphers.KEY_ARN_VARIABLE));
        if (keyArn == null || keyArn.isBlank()) {
            throw new IllegalArgumentException("--key-arn <SessionSecretsKeyArn output> (or " + SecretsCiphers.KEY_ARN_VARIABLE
                    + ") is required with --aws: session secrets are sealed with the stack's KMS key");
        }
        return new EnvelopeCipher(new KmsDataKeys(KmsClient.builder().httpClient(UrlConnectionHttpClient.create()).build(), keyArn));
    }

    /** The session and its secret: shown this once. */
    private static ObjectNode withSecret(SessionAdmin.Created created) {
        ObjectNode json = SessionJson.of(created.session());
        json.put("secret", created.secret());
        json.put("secret_note", "shown once: store it in the gateway's webhook settings now");
        return json;
    }

    private static List<String> cidrs(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        return List.of(commaSeparated.split("\\s*,\\s*"));
    }

    private static Map<String, String> options(List<String> args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                continue;
            }
            if (arg.equals("--aws")) {
                options.put("aws", "true");
                continue;
            }
            if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                throw new IllegalArgumentException("option " + arg + " needs a value");
            }
            options.put(arg.substring(2), args.get(++i));
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static int port(Map<String, String> options, String name, int fallback) {
        try {
            return Integer.parseInt(options.getOrDefault(name, String.valueOf(fallback)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a port number");
        }
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
