package io.inboxrelay.observability.logging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;

/** One logger: a JSON object per event, MDC fields at the top level beside the message. */
final class JsonLogger extends LegacyAbstractLogger {

    /** Embedded-metric-format lines must reach CloudWatch exactly as written. */
    static final String METRICS_LOGGER = "io.inboxrelay.metrics";

    private final Level threshold;
    private final boolean raw;
    private final transient Consumer<String> sink;
    private final transient MDCAdapter mdc;

    JsonLogger(String name, Level threshold, Consumer<String> sink, MDCAdapter mdc) {
        this.name = name;
        this.threshold = threshold;
        this.raw = METRICS_LOGGER.equals(name);
        this.sink = sink;
        this.mdc = mdc;
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    private boolean enabled(Level level) {
        return level.toInt() >= threshold.toInt();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
        String formatted = MessageFormatter.basicArrayFormat(pattern, arguments);
        if (raw) {
            sink.accept(formatted);
            return;
        }
        ObjectNode line = Json.object()
                .put("timestamp", Instant.now().toString())
                .put("level", level.name())
                .put("logger", name)
                .put("thread", Thread.currentThread().getName())
                .put("message", formatted);
        Map<String, String> context = mdc.getCopyOfContextMap();
        if (context != null) {
            context.forEach((key, value) -> {
                if (!line.has(key)) {
                    line.put(key, value);
                }
            });
        }
        if (throwable != null) {
            line.put("exception", stackTrace(throwable));
        }
        sink.accept(Json.write(line));
    }

    /** The throwable, its frames and its causes, as one string. */
    static String stackTrace(Throwable throwable) {
        StringBuilder trace = new StringBuilder();
        Throwable current = throwable;
        for (int depth = 0; current != null && depth < 10; depth++) {
            trace.append(depth == 0 ? "" : "Caused by: ").append(current).append('\n');
            for (StackTraceElement frame : current.getStackTrace()) {
                trace.append("\tat ").append(frame).append('\n');
            }
            current = current.getCause() == current ? null : current.getCause();
        }
        return trace.toString();
    }
}
