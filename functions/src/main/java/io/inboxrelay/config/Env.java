package io.inboxrelay.config;

import java.util.HashMap;
import java.util.Map;

/**
 * The function's environment: the process environment (what Lambda sets from template.yaml),
 * overlaid by JVM system properties of the same name, because the local stack runs every
 * function in one JVM whose environment it cannot change.
 */
public final class Env {

    private Env() {
    }

    public static String get(String name) {
        String property = System.getProperty(name);
        return property != null ? property : System.getenv(name);
    }

    public static Map<String, String> all() {
        Map<String, String> merged = new HashMap<>(System.getenv());
        System.getProperties().forEach((key, value) -> merged.put(String.valueOf(key), String.valueOf(value)));
        return merged;
    }
}
