package io.inboxrelay.observability;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metrics of one invocation in CloudWatch embedded metric format: one JSON log line per flush,
 * which CloudWatch turns into metrics without an API call. Not thread-safe across invocations:
 * create one per invocation.
 */
public final class Metrics {

    public static final String NAMESPACE = "InboxRelay";

    // Its own logger, configured in log4j2.xml to print the bare JSON line EMF needs.
    private static final Logger EMF = LoggerFactory.getLogger("io.inboxrelay.metrics");

    private final String function;
    private final Map<String, Double> values = new LinkedHashMap<>();
    private final Map<String, String> units = new LinkedHashMap<>();

    public Metrics(String function) {
        this.function = function;
    }

    public Metrics count(String name) {
        return add(name, 1, "Count");
    }

    public Metrics count(String name, double value) {
        return add(name, value, "Count");
    }

    public Metrics millis(String name, double value) {
        values.put(name, value);
        units.put(name, "Milliseconds");
        return this;
    }

    private Metrics add(String name, double value, String unit) {
        values.merge(name, value, Double::sum);
        units.put(name, unit);
        return this;
    }

    /** The value recorded so far, 0 when none (tests read it). */
    public double value(String name) {
        return values.getOrDefault(name, 0.0);
    }

    public void flush() {
        if (values.isEmpty()) {
            return;
        }
        EMF.info(Json.write(toEmf(System.currentTimeMillis())));
        values.clear();
        units.clear();
    }

    ObjectNode toEmf(long timestamp) {
        ObjectNode root = Json.object();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", timestamp);
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        directive.putArray("Dimensions").addArray().add("Function");
        ArrayNode metrics = directive.putArray("Metrics");
        units.forEach((name, unit) -> metrics.addObject().put("Name", name).put("Unit", unit));
        root.put("Function", function);
        values.forEach(root::put);
        return root;
    }
}
