package io.inboxrelay.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One simulated gateway: its HTTP API under its own base path, and the webhooks it posts back. A new
 * provider is one more subclass.
 */
abstract class SimulatedGateway {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A call, its path relative to the gateway's base path. */
    record Request(String method, String path, List<String> segments, String query, Map<String, String> headers, byte[] body) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        JsonNode json() {
            if (body.length == 0) {
                return Json.object();
            }
            try {
                return Json.MAPPER.readTree(body);
            } catch (java.io.IOException e) {
                return Json.object();
            }
        }

        boolean is(String wantedMethod, String... wantedSegments) {
            if (!method.equals(wantedMethod) || segments.size() != wantedSegments.length) {
                return false;
            }
            for (int i = 0; i < wantedSegments.length; i++) {
                if (!wantedSegments[i].equals("*") && !wantedSegments[i].equals(segments.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * What the simulator answers.
     *
     * @param headers extra response headers (e.g. Retry-After)
     * @param delay   how long the answer is held back (0: at once)
     */
    record Answer(int status, String contentType, byte[] body, Map<String, String> headers, java.time.Duration delay) {

        Answer(int status, String contentType, byte[] body) {
            this(status, contentType, body, Map.of(), java.time.Duration.ZERO);
        }

        Answer withHeader(String name, String value) {
            Map<String, String> more = new java.util.LinkedHashMap<>(headers);
            more.put(name, value);
            return new Answer(status, contentType, body, Map.copyOf(more), delay);
        }

        Answer delayed(java.time.Duration value) {
            return new Answer(status, contentType, body, headers, value);
        }

        static Answer json(int status, JsonNode body) {
            return new Answer(status, "application/json", Json.write(body).getBytes(StandardCharsets.UTF_8));
        }

        static Answer json(int status, String body) {
            return new Answer(status, "application/json", body.getBytes(StandardCharsets.UTF_8));
        }

        static Answer empty(int status) {
            return new Answer(status, null, new byte[0]);
        }
    }

    /** A message the simulator sent for a client: what its echo and receipts describe. */
    record SentMessage(SimulatedSession session, String id, String chat, String text, StoredMedia media, long epochSeconds) {
    }

    /** The receipts that follow an echo, in order. */
    enum Receipt { DELIVERED, READ }

    protected final GatewaySimulator simulator;

    SimulatedGateway(GatewaySimulator simulator) {
        this.simulator = simulator;
    }

    abstract Provider provider();

    /** The first path segment the gateway's API lives under, e.g. {@code evolution}. */
    abstract String basePath();

    /** Whether the call carries the simulator's key in this gateway's header. */
    abstract boolean authorized(Request request);

    /** The gateway's own 401 answer. */
    abstract Answer unauthorized();

    /** The gateway's answer to a path it has no route for. */
    abstract Answer notFound(Request request);

    /** The answer to an authorized call, or null when no route matches. */
    abstract Answer handle(Request request);

    /**
     * This gateway's own answer refusing a send to a scripted recipient ({@link Script#refuses()}), in its error shape:
     * what its real API answers for that case, so the real client classifies it as it would in production.
     */
    abstract Answer refusal(Script script, String session, String recipient);

    /**
     * The send's answer, or the scripted refusal, for a recipient: call before sending (null: go on and send), and
     * {@link #answered} on the answer of a send that went ahead.
     */
    Answer scripted(String session, String recipient, JsonNode body) {
        Script script = simulator.script(provider(), session, recipient, body);
        return script != null && script.refuses() ? refusal(script, session, recipient) : null;
    }

    /** The answer of a send that went ahead: held back when the recipient is scripted slow (the client times out). */
    Answer answered(String recipient, Answer answer) {
        return Script.forRecipient(recipient) == Script.SLOW ? answer.delayed(Script.SLOW_ANSWER) : answer;
    }

    /** The webhook telling of the business's own message (the "echo"). */
    abstract byte[] echo(SentMessage message);

    abstract byte[] receipt(SentMessage message, Receipt receipt);

    /** A message from the lead in {@code chat}: the scripted answer of auto-reply mode. */
    abstract byte[] leadMessage(SimulatedSession session, String chat, String id, String text, long epochSeconds);

    /** A fresh WhatsApp-style message id (Baileys: {@code 3EB0} and hex). */
    static String whatsAppId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "3EB0" + HexFormat.of().withUpperCase().formatHex(bytes);
    }

    static String randomHex(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return HexFormat.of().formatHex(value);
    }

    static String digits(String phoneOrJid) {
        String value = phoneOrJid == null ? "" : phoneOrJid;
        int at = value.indexOf('@');
        String user = at < 0 ? value : value.substring(0, at);
        int colon = user.indexOf(':');
        return (colon < 0 ? user : user.substring(0, colon)).replaceAll("[^0-9]", "");
    }

    /** A JID as given, or {@code <digits>@<server>}. */
    static String jid(String phoneOrJid, String server) {
        return phoneOrJid.contains("@") ? phoneOrJid : digits(phoneOrJid) + "@" + server;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.textValue().isBlank() ? value.textValue() : null;
    }

    /** The simulated business's own number: the session's "me". */
    static final String OWNER_DIGITS = "15550001234";
}
