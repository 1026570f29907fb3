package io.inboxrelay.core.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.outbound.GatewayFailure.Kind;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What every provider client does alike: build URLs, read untrusted JSON, turn an HTTP answer into a failure. */
final class Calls {

    private Calls() {
    }

    /** {@code base} with path segments appended, each percent-encoded (an instance name may hold spaces). */
    static URI uri(URI base, String... segments) {
        StringBuilder path = new StringBuilder(base.toString().replaceAll("/+$", ""));
        for (String segment : segments) {
            if (segment.startsWith("/")) {
                path.append(segment);
            } else {
                path.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        return URI.create(path.toString());
    }

    /** Sets an optional request field only when it has a value: gateways refuse {@code null} and {@code ""} alike. */
    static void putIfPresent(com.fasterxml.jackson.databind.node.ObjectNode node, String field, String value) {
        if (value != null && !value.isBlank()) {
            node.put(field, value);
        }
    }

    /** The kind an HTTP status means when the gateway's body says nothing more precise. */
    static Kind kindForStatus(int status) {
        if (status == 401 || status == 403) {
            return Kind.UNAUTHORIZED;
        }
        if (status == 404) {
            return Kind.NOT_FOUND;
        }
        if (status == 413) {
            return Kind.TOO_LARGE;
        }
        if (status == 429) {
            return Kind.RATE_LIMITED;
        }
        if (status >= 500) {
            return Kind.UNAVAILABLE;
        }
        return Kind.REJECTED;
    }

    static GatewayException failed(GatewayRequest request, GatewayResponse response, Kind kind, String code, String reason) {
        Duration retryAfter = GatewayHttp.parseRetryAfter(response.header("Retry-After"), Clock.systemUTC());
        String text = reason == null || reason.isBlank() ? fallbackReason(response) : reason;
        return new GatewayException(request.failure(kind, response.status(), code, text, retryAfter));
    }

    /** A success without the field a client needs: the gateway changed its answer, or this is not the gateway. */
    static GatewayException unreadable(GatewayRequest request, GatewayResponse response, String what) {
        return new GatewayException(request.failure(Kind.UNREADABLE_RESPONSE, response.status(), null,
                "the gateway answered " + response.status() + " without " + what, null));
    }

    private static String fallbackReason(GatewayResponse response) {
        String text = response.text();
        if (text.isEmpty() || text.startsWith("<")) {
            return "HTTP " + response.status();
        }
        return text;
    }

    /** A string at a path of object fields, or null when any step is missing, not an object, or blank. */
    static String text(JsonNode node, String... path) {
        JsonNode current = node;
        for (String name : path) {
            if (current == null || !current.isObject()) {
                return null;
            }
            current = current.get(name);
        }
        if (current == null || current.isNull()) {
            return null;
        }
        if (current.isTextual()) {
            return current.textValue().isBlank() ? null : current.textValue();
        }
        return current.isNumber() || current.isBoolean() ? current.asText() : null;
    }

    /** The gateway's messages: a string, or the strings (and objects' {@code message}) of an array, joined. */
    static String messages(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode item : node) {
                String part = item.isTextual() ? item.textValue() : text(item, "message");
                if (part != null) {
                    parts.add(part);
                }
            }
            return parts.isEmpty() ? null : String.join("; ", parts);
        }
        return text(node, "message");
    }

    /** Digits only: what Evolution and Meta take for a phone number ({@code +55 11 98765-4321} → {@code 5511987654321}). */
    static String digits(String phoneOrJid) {
        String user = phoneOrJid.contains("@") ? phoneOrJid.substring(0, phoneOrJid.indexOf('@')) : phoneOrJid;
        int device = user.indexOf(':');
        if (device >= 0) {
            user = user.substring(0, device);
        }
        return user.replaceAll("[^0-9]", "");
    }

    /** A JID as given, or a phone number as {@code <digits>@<server>}. */
    static String jid(String phoneOrJid, String server) {
        String value = require(phoneOrJid, "recipient").trim();
        return value.contains("@") ? value : digits(value) + "@" + server;
    }

    static String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }
}
