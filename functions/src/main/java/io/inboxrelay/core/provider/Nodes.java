package io.inboxrelay.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Null-safe reads from untrusted JSON: a field of the wrong type reads as absent, so no JSON can make
 * an adapter throw anything but {@link MalformedWebhookException}.
 */
final class Nodes {

    /** Epoch values at or above this are milliseconds (as seconds they would be past the year 5000). */
    private static final long MILLIS_THRESHOLD = 100_000_000_000L;
    private static final long MAX_MILLIS = 100_000_000_000_000L;

    private Nodes() {
    }

    /** An object field, or null when the node is not an object or the field is missing or JSON null. */
    static JsonNode field(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode value = node.get(name);
        return value == null || value.isNull() || value.isMissingNode() ? null : value;
    }

    static JsonNode object(JsonNode node, String name) {
        JsonNode value = field(node, name);
        return value != null && value.isObject() ? value : null;
    }

    /** The elements of an array field; empty when absent or not an array. */
    static List<JsonNode> array(JsonNode node, String name) {
        JsonNode value = field(node, name);
        List<JsonNode> elements = new ArrayList<>();
        if (value != null && value.isArray()) {
            value.forEach(elements::add);
        }
        return elements;
    }

    /** A string field (integral numbers are read as their digits, since ids are sometimes numeric); blank is null. */
    static String text(JsonNode node, String name) {
        return text(field(node, name));
    }

    static String text(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isTextual()) {
            String text = value.textValue();
            return text.isBlank() ? null : text;
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        return null;
    }

    /** The first of several spellings of one string field that is present (see {@link #text(JsonNode, String)}). */
    static String firstText(JsonNode node, String... names) {
        for (String name : names) {
            String value = text(node, name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** The first of several spellings of one boolean field that is present (see {@link #bool}). */
    static Boolean firstBool(JsonNode node, String... names) {
        for (String name : names) {
            Boolean value = bool(node, name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** A boolean field, also accepting the strings "true"/"false"; null otherwise. */
    static Boolean bool(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (value == null) {
            return null;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual()) {
            String text = value.textValue().trim();
            if (text.equalsIgnoreCase("true")) {
                return true;
            }
            if (text.equalsIgnoreCase("false")) {
                return false;
            }
        }
        return null;
    }

    /** A finite number given as a JSON number or a numeric string (WAHA sends coordinates as strings); else null. */
    static Double decimal(JsonNode node, String name) {
        JsonNode value = field(node, name);
        double number;
        if (value != null && value.isNumber()) {
            number = value.doubleValue();
        } else if (value != null && value.isTextual()) {
            try {
                number = Double.parseDouble(value.textValue().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        } else {
            return null;
        }
        return Double.isFinite(number) ? number : null;
    }

    /**
     * A whole number given as a JSON number, a numeric string, or a serialised protobuf Long
     * ({@code {"low":…,"high":…,"unsigned":…}}); null when it is none of these or out of range.
     */
    static Long longValue(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() ? value.longValue() : null;
        }
        if (value.isNumber()) {
            if ((value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue())) {
                return null;
            }
            return wholeNumber(value.decimalValue());
        }
        if (value.isTextual()) {
            try {
                return wholeNumber(new BigDecimal(value.textValue().trim()));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (value.isObject()) {
            JsonNode low = value.get("low");
            JsonNode high = value.get("high");
            if (low != null && low.isIntegralNumber() && low.canConvertToLong()
                    && (high == null || high.isIntegralNumber() && high.canConvertToLong())) {
                long highBits = high == null ? 0 : high.longValue();
                return (highBits << 32) | (low.longValue() & 0xFFFF_FFFFL);
            }
        }
        return null;
    }

    private static Long wholeNumber(BigDecimal number) {
        // Scientific notation like 1e999999999 would make BigDecimal work very hard; such values are junk anyway.
        if (number.scale() < -20 || number.precision() - number.scale() > 20) {
            return null;
        }
        try {
            return number.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /**
     * An instant from epoch seconds or milliseconds (any {@link #longValue} form) or an ISO-8601 string;
     * null when absent or implausible.
     */
    static Instant instant(JsonNode value) {
        if (value == null) {
            return null;
        }
        Long number = longValue(value);
        if (number != null) {
            if (number <= 0 || number >= MAX_MILLIS) {
                return null;
            }
            return number < MILLIS_THRESHOLD ? Instant.ofEpochSecond(number) : Instant.ofEpochMilli(number);
        }
        if (value.isTextual()) {
            try {
                return OffsetDateTime.parse(value.textValue().trim()).toInstant();
            } catch (DateTimeException e) {
                return null;
            }
        }
        return null;
    }
}
