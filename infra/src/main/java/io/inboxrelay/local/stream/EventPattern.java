package io.inboxrelay.local.stream;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Lambda event filtering: a record passes a pattern when every field the pattern names matches one
 * of the pattern's values there. Values: literals (string, number, boolean, null), {@code prefix},
 * {@code suffix}, {@code equals-ignore-case}, {@code anything-but}, {@code numeric} ranges and
 * {@code exists}. An array in the record matches when any of its elements does.
 */
public final class EventPattern {

    private EventPattern() {
    }

    /** Whether the record passes any of the filters (no filters: every record passes). */
    public static boolean anyMatches(List<JsonNode> filters, JsonNode record) {
        if (filters.isEmpty()) {
            return true;
        }
        for (JsonNode filter : filters) {
            if (matches(filter, record)) {
                return true;
            }
        }
        return false;
    }

    public static boolean matches(JsonNode pattern, JsonNode event) {
        for (Iterator<Map.Entry<String, JsonNode>> it = pattern.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("$or")) {
                boolean any = false;
                for (JsonNode alternative : field.getValue()) {
                    any |= matches(alternative, event);
                }
                if (!any) {
                    return false;
                }
                continue;
            }
            JsonNode value = event == null ? null : event.get(field.getKey());
            JsonNode rule = field.getValue();
            if (rule.isObject()) {
                if (value == null || !value.isObject() || !matches(rule, value)) {
                    return false;
                }
            } else if (rule.isArray()) {
                if (!matchesAny(rule, value)) {
                    return false;
                }
            } else {
                throw new IllegalArgumentException("filter pattern values must be arrays or objects: " + field.getKey());
            }
        }
        return true;
    }

    private static boolean matchesAny(JsonNode alternatives, JsonNode value) {
        List<JsonNode> candidates = new ArrayList<>();
        if (value != null && value.isArray()) {
            value.forEach(candidates::add);
        } else if (value != null) {
            candidates.add(value);
        }
        for (JsonNode alternative : alternatives) {
            if (alternative.isObject() && alternative.has("exists")) {
                boolean present = value != null && !value.isNull();
                if (alternative.get("exists").asBoolean() == present) {
                    return true;
                }
                continue;
            }
            for (JsonNode candidate : candidates) {
                if (matchesOne(alternative, candidate)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean matchesOne(JsonNode rule, JsonNode value) {
        if (!rule.isObject()) {
            if (rule.isNumber() && value.isNumber()) {
                return rule.decimalValue().compareTo(value.decimalValue()) == 0;
            }
            return rule.equals(value);
        }
        if (rule.has("prefix")) {
            return value.isTextual() && value.asText().startsWith(rule.get("prefix").asText());
        }
        if (rule.has("suffix")) {
            return value.isTextual() && value.asText().endsWith(rule.get("suffix").asText());
        }
        if (rule.has("equals-ignore-case")) {
            return value.isTextual() && value.asText().equalsIgnoreCase(rule.get("equals-ignore-case").asText());
        }
        if (rule.has("anything-but")) {
            JsonNode excluded = rule.get("anything-but");
            if (excluded.isObject() && excluded.has("prefix")) {
                return !(value.isTextual() && value.asText().startsWith(excluded.get("prefix").asText()));
            }
            if (excluded.isArray()) {
                for (JsonNode each : excluded) {
                    if (matchesOne(each, value)) {
                        return false;
                    }
                }
                return true;
            }
            return !matchesOne(excluded, value);
        }
        if (rule.has("numeric")) {
            return numeric(rule.get("numeric"), value);
        }
        throw new IllegalArgumentException("unsupported filter rule " + rule);
    }

    private static boolean numeric(JsonNode conditions, JsonNode value) {
        double number;
        if (value.isNumber()) {
            number = value.asDouble();
        } else if (value.isTextual()) {
            try {
                number = Double.parseDouble(value.asText());
            } catch (NumberFormatException e) {
                return false;
            }
        } else {
            return false;
        }
        for (int i = 0; i + 1 < conditions.size(); i += 2) {
            double bound = conditions.get(i + 1).asDouble();
            boolean ok = switch (conditions.get(i).asText()) {
                case "=" -> number == bound;
                case "<" -> number < bound;
                case "<=" -> number <= bound;
                case ">" -> number > bound;
                case ">=" -> number >= bound;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
