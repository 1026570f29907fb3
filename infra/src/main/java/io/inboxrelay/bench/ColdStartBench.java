package io.inboxrelay.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.auth.TokenMinter;
import io.inboxrelay.local.DemoTenant;
import io.inboxrelay.local.LocalStack;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each function's cold start: a fresh JVM on the shaded function jar (the jar Lambda runs) that
 * constructs the handler and serves one request against DynamoDB Local, timed from process spawn
 * to the first answer, against a hello-world handler started the same way, interleaved.
 */
public final class ColdStartBench {

    /** Lambda's Java runtimes start the JVM with these (C1 only: faster start). */
    static final List<String> LAMBDA_JVM_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

    private static final Pattern LINE = Pattern.compile("COLDSTART initMs=(\\d+) invokeMs=(\\d+) sinceJvmStartMs=(\\d+) outcome=(\\S+)");

    /** @param spawnToAnswerMillis median wall time from ProcessBuilder.start() to the answer */
    public record Sample(String function, double spawnToAnswerMillis, double initMillis, double invokeMillis, String outcome) {
    }

    private final LocalStack stack;
    private final DemoTenant tenant;
    private final String jwtSecret;
    private final Path jar;
    private final Path probeClasses;
    private final Path events;
    private final Path workDir;

    public ColdStartBench(LocalStack stack, DemoTenant tenant, String jwtSecret, Path jar, Path probeClasses, Path events, Path workDir) {
        this.stack = stack;
        this.tenant = tenant;
        this.jwtSecret = jwtSecret;
        this.jar = jar;
        this.probeClasses = probeClasses;
        this.events = events;
        this.workDir = workDir;
    }

    /** @return per function (hello-world first), the median over {@code rounds} */
    public Map<String, Sample> run(int rounds) throws Exception {
        Map<String, String[]> functions = functions();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (Map.Entry<String, String[]> function : functions.entrySet()) {
                Sample sample = once(function.getKey(), function.getValue()[0], Path.of(function.getValue()[1]));
                samples.computeIfAbsent(function.getKey(), k -> new ArrayList<>()).add(sample);
            }
            Progress.step("cold start: round {}/{} done ({} JVMs)", round, rounds, functions.size());
        }
        Map<String, Sample> medians = new LinkedHashMap<>();
        samples.forEach((function, list) -> {
            List<Sample> sorted = new ArrayList<>(list);
            sorted.sort(java.util.Comparator.comparingDouble(Sample::spawnToAnswerMillis));
            medians.put(function, sorted.get(sorted.size() / 2));
        });
        return medians;
    }

    private Sample once(String function, String handler, Path event) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LAMBDA_JVM_FLAGS);
        command.add("-cp");
        command.add(jar + java.io.File.pathSeparator + probeClasses);
        command.add(ColdStartProbe.class.getName());
        command.add(handler);
        command.add(event.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.remove("AWS_ACCESS_KEY_ID");
        env.putAll(functionEnvironment());
        long started = System.nanoTime();
        Process process = builder.start();
        Matcher found = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                Matcher matcher = LINE.matcher(line);
                if (matcher.find()) {
                    found = matcher;
                    break;
                }
            }
            double wall = (System.nanoTime() - started) / 1e6;
            while (out.readLine() != null) {
                // drain until the child exits
            }
            process.waitFor(30, TimeUnit.SECONDS);
            if (found == null) {
                throw new IllegalStateException("cold start probe of " + function + " printed no result (exit " + process.exitValue() + ")");
            }
            return new Sample(function, wall, Double.parseDouble(found.group(1)), Double.parseDouble(found.group(2)), found.group(4));
        } finally {
            process.destroy();
        }
    }

    private Map<String, String> functionEnvironment() {
        Map<String, String> env = new LinkedHashMap<>(stack.dynamo().environment());
        env.put("WS_MANAGEMENT_ENDPOINT", stack.managementEndpoint().toString());
        env.put("AWS_REGION", "us-east-1");
        env.put("JWT_SECRET", jwtSecret);
        env.put("LOG_LEVEL", "info");
        return env;
    }

    /** Function → {handler class, event file}; the events are the repository's samples where they fit. */
    private Map<String, String[]> functions() throws IOException {
        Files.createDirectories(workDir);
        Map<String, String[]> functions = new LinkedHashMap<>();
        String token = new TokenMinter(jwtSecret).mint(tenant.tenantId(), "cold-agent", Duration.ofHours(1));
        functions.put("hello-world", new String[] {HelloHandler.class.getName(), write("hello.json", "{\"hello\":\"world\"}")});
        byte[] body = Webhooks.body("cold-" + System.nanoTime(), 999, Instant.now());
        ObjectNode webhook = httpEvent("POST", "/webhooks/" + tenant.sessionId(), Map.of("sessionId", tenant.sessionId()), null,
                new String(body, StandardCharsets.UTF_8));
        new Webhooks(null, tenant.secret()).headers(body).forEach((name, value) -> ((ObjectNode) webhook.get("headers")).put(name.toLowerCase(java.util.Locale.ROOT), value));
        functions.put("WebhookFunction", new String[] {"io.inboxrelay.handler.WebhookHandler", write("webhook.json", Json.write(webhook))});
        ObjectNode read = httpEvent("GET", "/api/conversations", Map.of(), "Bearer " + token, null);
        functions.put("ReadApiFunction", new String[] {"io.inboxrelay.handler.ReadApiHandler", write("read.json", Json.write(read))});
        ObjectNode admin = httpEvent("GET", "/admin/sessions", Map.of(), null, null);
        admin.putObject("queryStringParameters").put("tenant_id", tenant.tenantId());
        admin.put("rawQueryString", "tenant_id=" + tenant.tenantId());
        functions.put("AdminFunction", new String[] {"io.inboxrelay.handler.AdminHandler", write("admin.json", Json.write(admin))});
        ObjectNode authorizer = (ObjectNode) Json.parse(Files.readString(events.resolve("websocket/authorizer-query-token.json")));
        ((ObjectNode) authorizer.get("queryStringParameters")).put("token", token).put("tenant_id", tenant.tenantId());
        functions.put("WsAuthorizerFunction", new String[] {"io.inboxrelay.handler.WsAuthorizerHandler", write("authorizer.json", Json.write(authorizer))});
        String[][] webSocket = {
                {"ConnectFunction", "ConnectHandler", "connect.json"},
                {"SubscribeFunction", "SubscribeHandler", "subscribe.json"},
                {"PingFunction", "PingHandler", "ping.json"},
                {"ResumeFunction", "ResumeHandler", "resume.json"},
                {"StatusFunction", "StatusHandler", "status.json"},
                {"DefaultRouteFunction", "DefaultRouteHandler", "default-unknown-type.json"},
                {"DisconnectFunction", "DisconnectHandler", "disconnect.json"}};
        for (String[] route : webSocket) {
            functions.put(route[0], new String[] {"io.inboxrelay.handler." + route[1], events.resolve("websocket/" + route[2]).toString()});
        }
        functions.put("FanoutFunction", new String[] {"io.inboxrelay.handler.FanoutHandler", events.resolve("stream/events-batch.json").toString()});
        return functions;
    }

    private static ObjectNode httpEvent(String method, String path, Map<String, String> pathParameters, String authorization, String body) {
        ObjectNode event = Json.object();
        event.put("version", "2.0");
        event.put("routeKey", method + " " + path);
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        ObjectNode headers = event.putObject("headers");
        headers.put("content-type", "application/json");
        if (authorization != null) {
            headers.put("authorization", authorization);
        }
        ObjectNode parameters = event.putObject("pathParameters");
        pathParameters.forEach(parameters::put);
        ObjectNode http = event.putObject("requestContext").putObject("http");
        http.put("method", method);
        http.put("path", path);
        http.put("sourceIp", "127.0.0.1");
        if (body != null) {
            event.put("body", body);
        }
        event.put("isBase64Encoded", false);
        return event;
    }

    private String write(String name, String json) throws IOException {
        Path file = workDir.resolve(name);
        Files.writeString(file, json);
        return file.toString();
    }
}
