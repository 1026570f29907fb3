package io.inboxrelay.reliability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Every log line the stack writes while attached, rendered by the layout of the console appender that
 * prints it (the JSON lines of stdout, EMF metric lines included), checked as it is written against
 * strings that must never appear: tokens, secrets, message text. Lines are checked, not kept, so a
 * run of millions of lines fits in memory.
 */
final class CapturedLogs implements AutoCloseable {

    private final Set<String> forbidden = ConcurrentHashMap.newKeySet();
    private final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong lines = new AtomicLong();
    private final List<String> kept = java.util.Collections.synchronizedList(new ArrayList<>());
    private final java.util.function.Predicate<String> keep;
    private final Checker appender;
    private final Configuration configuration;

    /** @param keep which lines to keep for {@link #kept()} (the rest are only checked) */
    CapturedLogs(java.util.function.Predicate<String> keep) {
        this.keep = keep;
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        configuration = context.getConfiguration();
        appender = new Checker();
        appender.start();
        configuration.getRootLogger().addAppender(appender, null, null);
        configuration.getLoggers().values().forEach(logger -> logger.addAppender(appender, null, null));
        context.updateLoggers();
    }

    CapturedLogs() {
        this(line -> false);
    }

    void forbid(String text) {
        if (text != null && !text.isEmpty()) {
            forbidden.add(text);
        }
    }

    long lines() {
        return lines.get();
    }

    /** The lines that contained a forbidden string (at most 20), each with what it contained. */
    List<String> violations() {
        return List.copyOf(violations);
    }

    List<String> kept() {
        return List.copyOf(kept);
    }

    @Override
    public void close() {
        configuration.getRootLogger().removeAppender(appender.getName());
        configuration.getLoggers().values().forEach(logger -> logger.removeAppender(appender.getName()));
        ((LoggerContext) LogManager.getContext(false)).updateLoggers();
        appender.stop();
    }

    private final class Checker extends AbstractAppender {

        private final Layout<?> json;
        private final Layout<?> plain = PatternLayout.newBuilder().withPattern("%m %X %throwable").build();

        Checker() {
            super("reliability-capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
            Appender console = ((LoggerContext) LogManager.getContext(false)).getConfiguration().getAppender("json");
            json = console == null ? null : console.getLayout();
        }

        @Override
        public void append(LogEvent event) {
            // Both renderings: the JSON line as printed, and message + MDC + stack trace in plain text.
            String line = render(json, event) + render(plain, event);
            lines.incrementAndGet();
            for (String text : forbidden) {
                if (line.contains(text) && violations.size() < 20) {
                    violations.add("contains [" + text.substring(0, Math.min(12, text.length())) + "…]: " + line);
                }
            }
            if (keep.test(line)) {
                kept.add(line);
            }
        }

        private String render(Layout<?> layout, LogEvent event) {
            if (layout == null) {
                return "";
            }
            byte[] bytes = layout.toByteArray(event);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
