package io.inboxrelay.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Builds an UpdateItem expression. Every attribute name goes through a placeholder, so reserved
 * words ({@code name}, {@code status}, {@code timestamp}) need no thought; null values are left out.
 */
final class Update {

    private final String table;
    private final Map<String, AttributeValue> key;
    private final List<String> sets = new ArrayList<>();
    private final List<String> removes = new ArrayList<>();
    private final List<String> adds = new ArrayList<>();
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, AttributeValue> values = new HashMap<>();
    private String condition;

    Update(String table, Map<String, AttributeValue> key) {
        this.table = table;
        this.key = key;
    }

    Update set(String attribute, AttributeValue value) {
        if (value != null) {
            sets.add(name(attribute) + " = " + value(value));
        }
        return this;
    }

    Update set(String attribute, String value) {
        return value == null ? this : set(attribute, Attrs.s(value));
    }

    Update set(String attribute, long value) {
        return set(attribute, Attrs.n(value));
    }

    /** Sets the attribute only when the item does not have it yet. */
    Update setIfAbsent(String attribute, AttributeValue value) {
        String name = name(attribute);
        sets.add(name + " = if_not_exists(" + name + ", " + value(value) + ")");
        return this;
    }

    /** Atomic increment ({@code ADD}): no read, and concurrent increments never overwrite each other. */
    Update add(String attribute, long delta) {
        adds.add(name(attribute) + " " + value(Attrs.n(delta)));
        return this;
    }

    Update remove(String attribute) {
        removes.add(name(attribute));
        return this;
    }

    /** A condition written with {@code #attribute} and {@code :value} references made by {@link #name} and {@link #value}. */
    Update condition(String expression) {
        this.condition = expression;
        return this;
    }

    String name(String attribute) {
        String placeholder = "#" + attribute.replaceAll("[^A-Za-z0-9]", "_");
        names.put(placeholder, attribute);
        return placeholder;
    }

    String value(AttributeValue value) {
        String placeholder = ":v" + values.size();
        values.put(placeholder, value);
        return placeholder;
    }

    private String expression() {
        StringBuilder expression = new StringBuilder();
        if (!sets.isEmpty()) {
            expression.append("SET ").append(String.join(", ", sets));
        }
        if (!adds.isEmpty()) {
            expression.append(expression.length() > 0 ? " " : "").append("ADD ").append(String.join(", ", adds));
        }
        if (!removes.isEmpty()) {
            expression.append(expression.length() > 0 ? " " : "").append("REMOVE ").append(String.join(", ", removes));
        }
        return expression.toString();
    }

    UpdateItemRequest request() {
        return UpdateItemRequest.builder()
                .tableName(table)
                .key(key)
                .updateExpression(expression())
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values.isEmpty() ? null : values)
                .build();
    }

    TransactWriteItem transactItem() {
        return TransactWriteItem.builder()
                .update(u -> u.tableName(table)
                        .key(key)
                        .updateExpression(expression())
                        .conditionExpression(condition)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values.isEmpty() ? null : values))
                .build();
    }
}
