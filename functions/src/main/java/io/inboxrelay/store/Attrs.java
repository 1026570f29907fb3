package io.inboxrelay.store;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Hand-written AttributeValue mapping: small, explicit, no reflection on the hot path. */
final class Attrs {

    private Attrs() {
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static AttributeValue bool(boolean value) {
        return AttributeValue.fromBool(value);
    }

    static AttributeValue list(List<String> values) {
        return AttributeValue.fromL(values.stream().map(AttributeValue::fromS).toList());
    }

    static AttributeValue stringSet(Collection<String> values) {
        return AttributeValue.fromSs(List.copyOf(values));
    }

    static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    static Long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? null : Long.parseLong(value.n());
    }

    static long number(Map<String, AttributeValue> item, String name, long fallback) {
        Long value = number(item, name);
        return value == null ? fallback : value;
    }

    static boolean bool(Map<String, AttributeValue> item, String name, boolean fallback) {
        AttributeValue value = item.get(name);
        return value == null || value.bool() == null ? fallback : value.bool();
    }

    static List<String> strings(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null) {
            return List.of();
        }
        if (value.hasSs()) {
            return value.ss();
        }
        if (value.hasL()) {
            return value.l().stream().map(AttributeValue::s).toList();
        }
        return List.of();
    }

    /** An item or expression-value builder that leaves out null values (DynamoDB has no use for them). */
    static final class Item {
        private final Map<String, AttributeValue> values = new HashMap<>();

        Item put(String name, String value) {
            if (value != null) {
                values.put(name, s(value));
            }
            return this;
        }

        Item put(String name, long value) {
            values.put(name, n(value));
            return this;
        }

        Item put(String name, AttributeValue value) {
            if (value != null) {
                values.put(name, value);
            }
            return this;
        }

        Map<String, AttributeValue> build() {
            return Map.copyOf(values);
        }
    }
}
