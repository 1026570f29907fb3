package io.inboxrelay.local.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.signature.WebhookSigner;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The four gateways' HTTP APIs on one loopback port, each under its own base path
 * ({@code /evolution}, {@code /waha}, {@code /meta}, {@code /inboxhub}: the base URL a session's client is given),
 * answering as the real ones do, with one API key for all (Meta: the bearer token). Every call is recorded.
 * After a send it posts, signed with the session's scheme, the echo of the sent message and then its delivery
 * and read receipts, all with the id the send answered; in auto-reply mode a lead answers a little later.
 * A recipient's last four digits script a failure ({@link Script}); {@code /_simulator/options} and
 * {@code /_simulator/calls} ({@link SimulatorControl}) switch echo-first and the receipt delay, and list the calls.
 */
public final class GatewaySimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewaySimulator.class);
    public static final String HOST = "127.0.0.1";
    /** Media larger than this is refused when the simulator downloads a send's URL. */
    static final int MAX_MEDIA_BYTES = 16 * 1024 * 1024;

    /**
     * @param apiKey         the key every gateway expects (Meta: the access token)
     * @param receiptDelay   from the send to the echo, and between the echo and each receipt
     * @param autoReply      whether a lead answers each send
     * @param autoReplyDelay from the send to the lead's answer
     * @param echoFirst      whether a send's echo is posted (and answered by the stack) before the send is answered,
     *                       as a gateway whose webhook outruns its HTTP answer does
     */
    public record Options(String apiKey, Duration receiptDelay, boolean autoReply, Duration autoReplyDelay, boolean echoFirst) {

        public static Options defaults() {
            return new Options("simulator-key", Duration.ofMillis(300), false, Duration.ofSeconds(3), false);
        }

        public Options withApiKey(String value) {
            return new Options(value, receiptDelay, autoReply, autoReplyDelay, echoFirst);
        }

        public Options withReceiptDelay(Duration value) {
            return new Options(apiKey, value, autoReply, autoReplyDelay, echoFirst);
        }

        public Options withAutoReply(Duration delay) {
            return new Options(apiKey, receiptDelay, true, delay, echoFirst);
        }

        public Options withoutAutoReply() {
            return new Options(apiKey, receiptDelay, false, autoReplyDelay, echoFirst);
        }

        public Options withEchoFirst(boolean value) {
            return new Options(apiKey, receiptDelay, autoReply, autoReplyDelay, value);
        }
    }

    /**
     * A webhook the simulator posted.
     *
     * @param provider the gateway that posted it
     * @param url      where to
     * @param body     what
     * @param status   the answer's status, or -1 when none came
     */
    public record Delivery(Provider provider, String url, String body, int status) {
    }

    private volatile Options options;
    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService webhooks;
    /** Holds back the answers of scripted slow sends without holding a handler thread. */
    private final ScheduledExecutorService lateAnswers;
    /** Attempts so far of each scripted send that is refused a number of times, by provider, session and request body. */
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    private final SimulatorControl control = new SimulatorControl(this);
    private final HttpClient http;
    private final Map<Provider, SimulatedGateway> gateways = new EnumMap<>(Provider.class);
    private final Map<String, SimulatedSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, StoredMedia> media = new ConcurrentHashMap<>();
    private final List<RecordedCall> calls = new CopyOnWriteArrayList<>();
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    private GatewaySimulator(Options options, HttpServer server) {
        this.options = options;
        this.server = server;
        this.handlers = Executors.newFixedThreadPool(4, daemon("gateway-simulator"));
        // One thread: the echo, the receipts and the answer of one send are posted in the order they were scheduled.
        this.webhooks = Executors.newSingleThreadScheduledExecutor(daemon("gateway-simulator-webhooks"));
        this.lateAnswers = Executors.newSingleThreadScheduledExecutor(daemon("gateway-simulator-late-answers"));
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        for (SimulatedGateway gateway : List.of(new EvolutionSimulator(this), new WahaSimulator(this), new MetaSimulator(this),
                new InboxHubSimulator(this))) {
            gateways.put(gateway.provider(), gateway);
        }
        server.createContext("/", this::serve);
        server.setExecutor(handlers);
    }

    /** Starts on {@code port} of 127.0.0.1 (0: any free port) with the default options. */
    public static GatewaySimulator start(int port) {
        return start(port, Options.defaults());
    }

    public static GatewaySimulator start(int port, Options options) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(HOST), port), 0);
            GatewaySimulator simulator = new GatewaySimulator(options, server);
            server.start();
            return simulator;
        } catch (IOException e) {
            throw new io.inboxrelay.local.PortInUseException("gateway simulator", port, "--simulator-port",
                    "run without it: --no-simulator");
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** e.g. http://127.0.0.1:3002 */
    public URI url() {
        return URI.create("http://" + HOST + ":" + port());
    }

    /** The base URL a session's gateway client is given, e.g. http://127.0.0.1:3002/waha. */
    public URI baseUrl(Provider provider) {
        return URI.create(url() + "/" + gateways.get(provider).basePath());
    }

    public String apiKey() {
        return options.apiKey();
    }

    public Options options() {
        return options;
    }

    /** Changes the options while running (the control endpoint's {@code POST /_simulator/options}); the API key stays. */
    public void options(Options value) {
        this.options = value.withApiKey(options.apiKey());
    }

    /**
     * The script this attempt of a send meets ({@link Script}), or null when it goes through: no script, or an attempt
     * past those the script refuses. Attempts are counted per identical request (provider, session, body), so a retry
     * of the same send is the next attempt and a new message starts again at the first.
     */
    Script script(Provider provider, String session, String recipient, com.fasterxml.jackson.databind.JsonNode body) {
        Script script = Script.forRecipient(recipient);
        if (script == null || !script.refuses() || script.refusesAttempt(Integer.MAX_VALUE)) {
            return script;
        }
        String key = provider.wireName() + "/" + session + "/" + io.inboxrelay.core.Json.write(body);
        int attempt = attempts.merge(key, 1, Integer::sum);
        if (script.refusesAttempt(attempt)) {
            return script;
        }
        attempts.remove(key);
        return null;
    }

    /** Every call received so far, in order. */
    public List<RecordedCall> calls() {
        return List.copyOf(calls);
    }

    /** Every webhook posted so far, in order. */
    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /**
     * Points a gateway session's webhooks at {@code webhookUrl}, signed with {@code secret} under {@code scheme}, as
     * the gateway's own registration call would (and as {@code sessions connect} will).
     */
    public SimulatedSession registerSession(Provider provider, String sessionId, String webhookUrl, String secret, SignatureKind scheme) {
        SimulatedSession session = new SimulatedSession(provider, sessionId, webhookUrl, secret, scheme);
        sessions.put(key(provider, sessionId), session);
        return session;
    }

    public Optional<SimulatedSession> session(Provider provider, String sessionId) {
        return Optional.ofNullable(sessions.get(key(provider, sessionId)));
    }

    /** The media of a sent message, by the gateway's message id or media id. */
    public Optional<StoredMedia> media(String id) {
        return Optional.ofNullable(media.get(id));
    }

    /** A gateway knows any session it is asked about; one never registered posts no webhooks. */
    SimulatedSession sessionOrNew(Provider provider, String sessionId) {
        return sessions.computeIfAbsent(key(provider, sessionId), ignored -> new SimulatedSession(provider, sessionId, null, null,
                SignatureKind.defaultFor(provider)));
    }

    /** Fetches the media a send names, as the gateway does before sending it. */
    StoredMedia download(String url, String mimeType, String fileName, String messageId, String mediaId) throws IOException {
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET()
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() / 100 != 2) {
                    throw new IOException("the media URL answered " + response.statusCode());
                }
                byte[] bytes = body.readNBytes(MAX_MEDIA_BYTES + 1);
                if (bytes.length > MAX_MEDIA_BYTES) {
                    throw new IOException("the media is larger than " + MAX_MEDIA_BYTES + " bytes");
                }
                String type = mimeType != null ? mimeType
                        : response.headers().firstValue("Content-Type").orElse("application/octet-stream");
                StoredMedia stored = new StoredMedia(messageId, mediaId, bytes, type, fileName);
                media.put(messageId, stored);
                media.put(mediaId, stored);
                return stored;
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("the media URL is not valid", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** A send the gateway accepted: its echo, then its receipts, then (auto-reply) the lead's answer. */
    void sent(SimulatedGateway gateway, SimulatedGateway.SentMessage message) {
        Options options = this.options;
        long step = Math.max(1, options.receiptDelay().toMillis());
        if (options.echoFirst()) {
            // On the handler thread, before the send is answered: the stack has stored the echo when the client gets its id.
            post(gateway, message.session(), gateway.echo(message));
        } else {
            schedule(gateway, message.session(), step, () -> gateway.echo(message));
        }
        schedule(gateway, message.session(), 2 * step, () -> gateway.receipt(message, SimulatedGateway.Receipt.DELIVERED));
        schedule(gateway, message.session(), 3 * step, () -> gateway.receipt(message, SimulatedGateway.Receipt.READ));
        if (options.autoReply()) {
            long delay = Math.max(3 * step + 1, options.autoReplyDelay().toMillis());
            String text = "Thanks, got it" + (message.text() == null ? "" : ": " + abbreviate(message.text()));
            schedule(gateway, message.session(), delay, () -> gateway.leadMessage(message.session(), message.chat(),
                    SimulatedGateway.whatsAppId(), text, Instant.now().getEpochSecond()));
        }
    }

    private void schedule(SimulatedGateway gateway, SimulatedSession sentWith, long delayMillis, java.util.function.Supplier<byte[]> body) {
        webhooks.schedule(() -> post(gateway, sentWith, body.get()), delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Posts to the session's current registration (it may have changed since the send), signed as the gateway signs. */
    private void post(SimulatedGateway gateway, SimulatedSession sentWith, byte[] body) {
        SimulatedSession session = session(sentWith.provider(), sentWith.gatewaySession()).orElse(sentWith);
        if (!session.hasWebhook()) {
            return;
        }
        int status = -1;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(session.webhookUrl())).timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/json")
                    .header("User-Agent", gateway.basePath() + "-simulator")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            WebhookSigner.sign(session.scheme(), session.secret(), body, Instant.now()).forEach(request::header);
            status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | RuntimeException e) {
            LOG.atWarn().addKeyValue("provider", gateway.provider().wireName()).addKeyValue("session", session.gatewaySession())
                    .log("simulated webhook not delivered: {}", e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deliveries.add(new Delivery(gateway.provider(), session.webhookUrl(), new String(body, StandardCharsets.UTF_8), status));
    }

    private void serve(HttpExchange exchange) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String rawPath = exchange.getRequestURI().getRawPath();
            List<String> segments = new ArrayList<>(Arrays.stream(rawPath.split("/")).filter(s -> !s.isEmpty())
                    .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toList());
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            SimulatedGateway gateway = segments.isEmpty() ? null
                    : gateways.values().stream().filter(g -> g.basePath().equals(segments.get(0))).findFirst().orElse(null);
            if (gateway == null && segments.size() >= 2 && segments.get(0).equals("api") && segments.get(1).equals("files")) {
                // WAHA advertises its files at its own root (/api/files/…), as a real WAHA does.
                gateway = gateways.get(Provider.WAHA);
                segments.add(0, gateway.basePath());
            }
            SimulatedGateway.Answer answer;
            String path = "/" + String.join("/", segments.subList(Math.min(1, segments.size()), segments.size()));
            if (!segments.isEmpty() && segments.get(0).equals(SimulatorControl.BASE_PATH)) {
                answer = control.handle(exchange.getRequestMethod(), segments.subList(1, segments.size()), headers, body);
                respond(exchange, answer);
                return;
            }
            if (gateway == null) {
                answer = SimulatedGateway.Answer.json(404, "{\"error\":\"no simulated gateway at this path: use /evolution, /waha, /meta or /inboxhub\"}");
            } else {
                SimulatedGateway.Request request = new SimulatedGateway.Request(exchange.getRequestMethod(), path,
                        List.copyOf(segments.subList(1, segments.size())), exchange.getRequestURI().getRawQuery(), headers, body);
                if (!gateway.authorized(request)) {
                    answer = gateway.unauthorized();
                } else {
                    answer = gateway.handle(request);
                    if (answer == null) {
                        answer = gateway.notFound(request);
                    }
                }
            }
            calls.add(new RecordedCall(gateway == null ? "none" : gateway.provider().wireName(), exchange.getRequestMethod(),
                    path, Map.copyOf(headers), new String(body, StandardCharsets.UTF_8), answer.status()));
            if (!answer.delay().isZero() && !answer.delay().isNegative()) {
                SimulatedGateway.Answer late = answer;
                lateAnswers.schedule(() -> respond(exchange, late), answer.delay().toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            respond(exchange, answer);
        } catch (RuntimeException e) {
            LOG.atWarn().log("gateway simulator failed on a call: {}", e.toString());
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        }
    }

    private static void respond(HttpExchange exchange, SimulatedGateway.Answer answer) {
        try {
            if (answer.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            }
            answer.headers().forEach(exchange.getResponseHeaders()::set);
            boolean empty = answer.body().length == 0;
            exchange.sendResponseHeaders(answer.status(), empty ? -1 : answer.body().length);
            if (!empty) {
                exchange.getResponseBody().write(answer.body());
            }
        } catch (IOException e) {
            // The client went away (a timed-out client of a slow send): nothing to answer.
            LOG.atDebug().log("simulator answer not written: {}", e.toString());
        } finally {
            exchange.close();
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    private static String key(Provider provider, String sessionId) {
        return provider.wireName() + "/" + sessionId;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        server.stop(0);
        lateAnswers.shutdownNow();
        webhooks.shutdownNow();
        handlers.shutdownNow();
    }
}
