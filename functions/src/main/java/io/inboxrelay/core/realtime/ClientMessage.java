package io.inboxrelay.core.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import java.util.ArrayList;
import java.util.List;

/** What a browser sends over the socket, parsed without ever throwing. */
public sealed interface ClientMessage {

    record Ping() implements ClientMessage {
    }

    /** @param channels the requested names, unvalidated; null when the client sent none (meaning all) */
    record Subscribe(List<String> channels) implements ClientMessage {
    }

    /**
     * @param cursor  the position to replay from
     * @param strict  false for {@code since} (replayed from {@code cursor − overlap}, the first page after a
     *                reconnect), true for {@code after} (exactly after it: the next page of a resume)
     */
    record Resume(String cursor, boolean strict) implements ClientMessage {
    }

    record Status() implements ClientMessage {
    }

    record Unknown(String type) implements ClientMessage {
    }

    /** @param reason safe to echo: never contains the body */
    record Malformed(String reason) implements ClientMessage {
    }

    static ClientMessage parse(String body) {
        if (body == null || body.isBlank()) {
            return new Malformed("empty message: send a JSON object with a \"type\"");
        }
        JsonNode root;
        try {
            root = Json.parse(body);
        } catch (IllegalArgumentException e) {
            return new Malformed("message is not JSON");
        }
        if (root == null || !root.isObject()) {
            return new Malformed("message must be a JSON object");
        }
        JsonNode type = root.get("type");
        if (type == null || !type.isTextual()) {
            return new Malformed("message has no string \"type\"");
        }
        return switch (type.asText()) {
            case "ping" -> new Ping();
            case "status" -> new Status();
            case "subscribe" -> subscribe(root.get("channels"));
            case "resume" -> resume(root.get("since"), root.get("after"));
            default -> new Unknown(type.asText());
        };
    }

    private static ClientMessage subscribe(JsonNode channels) {
        if (channels == null || channels.isNull()) {
            return new Subscribe(null);
        }
        if (!channels.isArray()) {
            return new Malformed("\"channels\" must be an array of channel names");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode channel : channels) {
            if (!channel.isTextual()) {
                return new Malformed("\"channels\" must be an array of channel names");
            }
            names.add(channel.asText());
        }
        return new Subscribe(List.copyOf(names));
    }

    private static ClientMessage resume(JsonNode since, JsonNode after) {
        if ((since == null) == (after == null)) {
            return new Malformed("resume takes exactly one of \"since\" (an event id received) or \"after\" (the \"next\" of a resumed page)");
        }
        JsonNode cursor = since != null ? since : after;
        if (!cursor.isTextual() || !Cursor.isValid(cursor.asText())) {
            return new Malformed((since != null ? "\"since\"" : "\"after\"") + " must be an event id (cursor) previously received");
        }
        return new Resume(cursor.asText(), after != null);
    }
}
