package io.inboxrelay.observability.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.spi.MDCAdapter;

final class JsonLoggerFactory implements ILoggerFactory {

    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final Consumer<String> sink;
    private final LogLevels levels;
    private final MDCAdapter mdc;

    JsonLoggerFactory(Consumer<String> sink, LogLevels levels, MDCAdapter mdc) {
        this.sink = sink;
        this.levels = levels;
        this.mdc = mdc;
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new JsonLogger(n, levels.threshold(n), sink, mdc));
    }
}
