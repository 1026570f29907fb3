package io.inboxrelay.readapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opaque page cursors: base64url of a small JSON object of string key attributes. It carries only
 * the sort-key side of DynamoDB's LastEvaluatedKey; the partition side (the tenant) always comes
 * from the token, so a cursor cannot move a caller into another tenant's data.
 */
public final class PageCursor {

    private static final int MAX_LENGTH = 1024;

    private PageCursor() {
    }

    public static String encode(Map<String, String> values) {
        ObjectNode node = Json.object();
        values.forEach(node::put);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(node).getBytes(StandardCharsets.UTF_8));
    }

    /** @throws BadRequestException when the text is not a cursor this API made, or lacks a field */
    public static Map<String, String> decode(String cursor, String... requiredFields) {
        if (cursor.length() > MAX_LENGTH) {
            throw new BadRequestException("cursor is too long");
        }
        JsonNode node;
        try {
            node = Json.parse(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("cursor is not one this API returned");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String field : requiredFields) {
            JsonNode value = node == null ? null : node.get(field);
            if (value == null || !value.isTextual() || value.asText().isEmpty()) {
                throw new BadRequestException("cursor is not one this API returned");
            }
            values.put(field, value.asText());
        }
        return values;
    }
}
