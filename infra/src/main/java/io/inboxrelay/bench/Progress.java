package io.inboxrelay.bench;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The plain console lines the benchmark shows while it runs (everything else goes to the bench log file). */
public final class Progress {

    private static final Logger CONSOLE = LoggerFactory.getLogger("io.inboxrelay.bench.console");
    private static final long STARTED = System.nanoTime();

    private Progress() {
    }

    public static void step(String format, Object... arguments) {
        long seconds = (System.nanoTime() - STARTED) / 1_000_000_000L;
        CONSOLE.info(String.format(java.util.Locale.ROOT, "[%3ds] ", seconds) + format, arguments);
    }

    public static void print(String text) {
        CONSOLE.info(text);
    }
}
