package io.inboxrelay.observability.logging;

import io.inboxrelay.config.Env;
import java.util.Locale;
import java.util.Map;
import org.slf4j.event.Level;

/**
 * The threshold of each logger: LOG_LEVEL or the function's ApplicationLogLevel (default INFO) for ours, and at least WARN for the
 * chatty libraries, as the log4j2 configuration had it.
 */
final class LogLevels {

    private static final Map<String, Level> LIBRARIES = Map.of(
            "software.amazon.awssdk", Level.WARN,
            "com.amazonaws", Level.WARN,
            "org.eclipse.jetty", Level.WARN);

    private final Level root;

    LogLevels(Level root) {
        this.root = root;
    }

    static LogLevels fromEnv() {
        // Lambda sets AWS_LAMBDA_LOG_LEVEL from the function's ApplicationLogLevel; LOG_LEVEL overrides it.
        String configured = Env.get("LOG_LEVEL");
        if (configured == null || configured.isBlank()) {
            configured = Env.get("AWS_LAMBDA_LOG_LEVEL");
        }
        Level level = Level.INFO;
        if (configured != null && !configured.isBlank()) {
            try {
                level = Level.valueOf(configured.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                level = Level.INFO;
            }
        }
        return new LogLevels(level);
    }

    /** The lowest level the named logger prints. */
    Level threshold(String logger) {
        for (Map.Entry<String, Level> library : LIBRARIES.entrySet()) {
            if (logger.startsWith(library.getKey())) {
                return library.getValue().toInt() > root.toInt() ? library.getValue() : root;
            }
        }
        return root;
    }
}
