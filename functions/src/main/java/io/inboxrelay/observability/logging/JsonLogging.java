package io.inboxrelay.observability.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The functions' SLF4J backend: one JSON object per line on stdout, MDC fields (tenant, session,
 * message id) as top-level keys, EMF metric lines printed bare. A few hundred lines of our own in
 * place of log4j2's 2.6 MB keeps the Lambda jar small and its cold start short; the local stack,
 * which has log4j2 on its classpath, selects log4j2 with {@code -Dslf4j.provider}.
 */
public final class JsonLogging implements SLF4JServiceProvider {

    private ILoggerFactory loggers;
    private IMarkerFactory markers;
    private MDCAdapter mdc;

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        mdc = new BasicMDCAdapter();
        markers = new BasicMarkerFactory();
        loggers = new JsonLoggerFactory(JsonLines.stdout(), LogLevels.fromEnv(), mdc);
    }
}
