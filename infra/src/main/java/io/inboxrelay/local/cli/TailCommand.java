package io.inboxrelay.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.auth.TokenMinter;
import io.inboxrelay.core.auth.TokenTransport;
import io.inboxrelay.core.event.Channel;
import io.inboxrelay.core.event.Cursors;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tail --tenant T}: a terminal as a browser of the tenant, through the WebSocket contract
 * (token as subprotocol, subscribe, ping, resume from the last event after a drop), one line per event.
 */
final class TailCommand {

    private static final Set<String> VALUED = Set.of("tenant", "user", "url", "token", "channels", "since", "ping-seconds");
    private static final Set<String> FLAGS = Set.of("json", "verbose");
    private static final String DEFAULT_URL = "ws://127.0.0.1:3001/prod";
    private static final Pattern AGO = Pattern.compile("(\\d+)([smhd])");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final int REMEMBERED_IDS = 10_000;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final Cli.Context context;
    private final Set<String> seen = new LinkedHashSet<>();
    private volatile String position;
    private boolean json;

    TailCommand(Cli.Context context) {
        this.context = context;
    }

    int run(List<String> arguments) throws InterruptedException {
        Args args = Args.parse("tail", arguments, VALUED, FLAGS);
        String token = args.get("token");
        String tenant = token == null ? args.required("tenant") : args.get("tenant");
        String user = args.get("user", "tail");
        URI url = url(args.get("url", DEFAULT_URL));
        List<String> channels = channels(args.get("channels"));
        position = since(args.get("since"));
        long pingSeconds = args.number("ping-seconds", 60);
        if (pingSeconds <= 0) {
            throw new UsageException("tail", "--ping-seconds must be positive");
        }
        json = args.has("json");
        PrintStream err = context.err();
        CountDownLatch stop = context.stop();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(daemon("tail-ping"));
        ExecutorService sender = Executors.newSingleThreadExecutor(daemon("tail-send"));
        boolean everConnected = false;
        Duration backoff = Duration.ofSeconds(1);
        try {
            while (stop.getCount() > 0) {
                String bearer = token != null ? token
                        : new TokenMinter(context.jwtSecret().get()).mint(tenant, user, Duration.ofHours(2));
                Session session = new Session(sender);
                WebSocket socket;
                try {
                    socket = http.newWebSocketBuilder()
                            .subprotocols(TokenTransport.PROTOCOL, bearer)
                            .connectTimeout(Duration.ofSeconds(10))
                            .buildAsync(url, session).get(15, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
                    if (!everConnected) {
                        throw new CommandFailure("cannot connect to " + url + ": " + why
                                + (url.getHost().equals("127.0.0.1") || url.getHost().equals("localhost") ? " - is the local stack running? (inbox-relay run)" : ""));
                    }
                    err.println("tail: cannot reconnect (" + why + "), retrying in " + backoff.toSeconds() + " s");
                    if (stop.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                    continue;
                }
                everConnected = true;
                backoff = Duration.ofSeconds(1);
                session.socket = socket;
                err.println("tail: following " + (tenant == null ? "the token's tenant" : "tenant " + tenant) + " at " + url
                        + (position == null ? "" : ", from " + position) + " (Ctrl-C stops)");
                if (!channels.isEmpty()) {
                    ObjectNode subscribe = Json.object().put("type", "subscribe");
                    channels.forEach(subscribe.putArray("channels")::add);
                    session.send(Json.write(subscribe));
                }
                if (position != null) {
                    session.send(Json.write(Json.object().put("type", "resume").put("since", position)));
                }
                var ping = pinger.scheduleAtFixedRate(() -> session.send("{\"type\":\"ping\"}"), pingSeconds, pingSeconds, TimeUnit.SECONDS);
                while (stop.getCount() > 0 && !session.closed.isDone()) {
                    stop.await(200, TimeUnit.MILLISECONDS);
                }
                ping.cancel(false);
                if (stop.getCount() == 0) {
                    session.close();
                    break;
                }
                err.println("tail: connection closed (" + session.closed.getNow("") + "), reconnecting in " + backoff.toSeconds() + " s");
                if (stop.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
        } finally {
            pinger.shutdownNow();
            sender.shutdownNow();
        }
        return Cli.OK;
    }

    /** One socket's life: its messages become lines, its close completes {@code closed}. */
    private final class Session implements WebSocket.Listener {

        private final ExecutorService sender;
        private final StringBuilder partial = new StringBuilder();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        volatile WebSocket socket;

        Session(ExecutorService sender) {
            this.sender = sender;
        }

        /** Sends one at a time, as the JDK's WebSocket requires, never from the listener's thread. */
        void send(String text) {
            sender.execute(() -> {
                try {
                    socket.sendText(text, true).get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    socket.abort();
                    closed.complete("send failed: " + e.getMessage());
                }
            });
        }

        void close() {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                socket.abort();
            }
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                handle(message, this);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode + (reason == null || reason.isBlank() ? "" : " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(String.valueOf(error.getMessage()));
        }
    }

    private void handle(String message, Session session) {
        JsonNode node;
        try {
            node = Json.parse(message);
        } catch (RuntimeException e) {
            context.err().println("tail: not JSON from the server: " + message);
            return;
        }
        String type = node.path("type").asText("");
        switch (type) {
            case "pong", "subscribed", "status" -> {
                return;
            }
            case "resumed" -> {
                if (!node.path("complete").asBoolean(true) && node.hasNonNull("next")) {
                    session.send(Json.write(Json.object().put("type", "resume").put("after", node.path("next").asText())));
                }
                return;
            }
            case "error" -> {
                context.err().println("tail: the server answered " + node.path("code").asText() + ": " + node.path("message").asText());
                return;
            }
            default -> {
            }
        }
        String id = node.path("id").asText(null);
        if (id == null && node.hasNonNull("cursor")) {
            // A resume's resync_required: the gap is not replayed; carry on from the server's cursor.
            position = node.path("cursor").asText();
        } else if (id != null) {
            if (!remember(id)) {
                return;
            }
            if (position == null || id.compareTo(position) > 0) {
                position = id;
            }
        }
        synchronized (context.out()) {
            context.out().println(json ? message : line(node));
            context.out().flush();
        }
    }

    private synchronized boolean remember(String id) {
        if (!seen.add(id)) {
            return false;
        }
        if (seen.size() > REMEMBERED_IDS) {
            var oldest = seen.iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    /** The human form of an event: time, type, what an agent would want to see. */
    static String line(JsonNode event) {
        String type = event.path("type").asText();
        Instant at = Cursors.instantOf(event.path("id").asText(event.path("cursor").asText(null)));
        String time = at == null ? "--:--:--" : TIME.format(at.atZone(ZoneId.systemDefault()));
        String detail = switch (type) {
            case "new_message" -> {
                JsonNode message = event.path("message");
                String who = text(message, "name");
                String phone = text(message, "phone");
                String from = who == null ? phone : phone == null ? who : who + " " + phone;
                String content = text(message, "content");
                String media = message.has("media") ? " [" + message.path("media").path("type").asText("media") + "]" : "";
                yield ("agent".equals(text(message, "sender")) ? "to " : "from ") + from + ": "
                        + (content == null ? "" : content.replace('\n', ' ')) + media;
            }
            case "message_status" -> text(event, "message_id") + " " + text(event, "status")
                    + (event.hasNonNull("reason") ? " (" + text(event, "reason") + ")" : "");
            case "session_status" -> text(event, "session_id") + " " + text(event, "status")
                    + (event.hasNonNull("reason") ? " (" + text(event, "reason") + ")" : "");
            case "conversation_updated" -> {
                String who = text(event, "name") != null ? text(event, "name") : text(event, "phone");
                yield who + ", unread " + event.path("unread_count").asInt();
            }
            case "resync_required" -> text(event, "reason") + ": reload through the read API";
            default -> {
                ObjectNode rest = event.deepCopy();
                rest.remove(List.of("type", "id", "tenant_id"));
                yield Json.write(rest);
            }
        };
        return time + "  " + String.format("%-20s", type) + "  " + detail;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static URI url(String text) {
        try {
            URI uri = URI.create(text);
            if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())) {
                throw new UsageException("tail", "--url must be a ws:// or wss:// URL, not '" + text + "'");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new UsageException("tail", "--url is not a URL: '" + text + "'");
        }
    }

    private static List<String> channels(String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        List<String> names = List.of(list.split("\\s*,\\s*"));
        for (String name : names) {
            if (Channel.fromWireName(name).isEmpty()) {
                throw new UsageException("tail", "unknown channel '" + name + "' (messages, statuses, sessions)");
            }
        }
        return names;
    }

    private String since(String value) {
        if (value == null) {
            return null;
        }
        Matcher ago = AGO.matcher(value.trim());
        if (ago.matches()) {
            long n = Long.parseLong(ago.group(1));
            Duration back = switch (ago.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return Cursors.floor(context.clock().instant().minus(back));
        }
        if (Cursors.instantOf(value) == null) {
            throw new UsageException("tail", "--since takes a cursor or a duration such as 30s, 10m, 2h, 1d; not '" + value + "'");
        }
        return value;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
