package io.inboxrelay.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * JSON built by {@code MessageJson} as a DynamoDB map and back through {@code InboxReader}: the stored
 * details keep the very field names clients read. JSON nulls are left out.
 */
final class JsonAttributes {

    private JsonAttributes() {
    }

    /** The object as a map attribute, or null when it is empty (nothing to store). */
    static AttributeValue map(JsonNode object) {
        return object == null || object.isEmpty() ? null : value(object);
    }

    private static AttributeValue value(JsonNode node) {
        if (node.isObject()) {
            Map<String, AttributeValue> fields = new LinkedHashMap<>();
            node.fields().forEachRemaining(field -> {
                if (!field.getValue().isNull()) {
                    fields.put(field.getKey(), value(field.getValue()));
                }
            });
            return AttributeValue.fromM(fields);
        }
        if (node.isArray()) {
            List<AttributeValue> elements = new ArrayList<>();
            node.forEach(element -> elements.add(element.isNull() ? AttributeValue.fromNul(true) : value(element)));
            return AttributeValue.fromL(elements);
        }
        if (node.isBoolean()) {
            return AttributeValue.fromBool(node.booleanValue());
        }
        if (node.isNumber()) {
            return AttributeValue.fromN(node.decimalValue().toPlainString());
        }
        return AttributeValue.fromS(node.asText());
    }
}
