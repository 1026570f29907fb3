package io.inboxrelay.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR CPU-sample recording of this JVM, summarised by who spent the CPU: DynamoDB Local, the
 * webhook function (with the SDK client it drives), the stream poller and fan-out, the load
 * generator. Everything runs in this one process, so the shares say what bounds a run on 2 cores.
 */
public final class CpuProfile implements AutoCloseable {

    private final Recording recording = new Recording();
    private final Path file;

    public CpuProfile(Path file) {
        this.file = file;
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(20));
        recording.start();
    }

    /** Stops, keeps the .jfr file (open it in JDK Mission Control), and returns the shares in percent, largest first. */
    public Map<String, Double> stop() throws IOException {
        recording.stop();
        recording.dump(file);
        Map<String, Long> counts = new TreeMap<>();
        long total = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            String thread = event.getThread("sampledThread") == null ? "" : event.getThread("sampledThread").getJavaName();
            counts.merge(component(thread == null ? "" : thread, event.getStackTrace()), 1L, Long::sum);
            total++;
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        long all = Math.max(1, total);
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> shares.put(e.getKey(), 100.0 * e.getValue() / all));
        return shares;
    }

    public Path file() {
        return file;
    }

    static String component(String thread, RecordedStackTrace stack) {
        List<RecordedFrame> frames = stack == null ? List.of() : stack.getFrames();
        boolean dynamoLocal = false;
        boolean handler = false;
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod() == null ? "" : frame.getMethod().getType().getName();
            if (type.startsWith("com.amazonaws.services.dynamodbv2") || type.startsWith("com.almworks.sqlite4java")) {
                dynamoLocal = true;
            }
            if (type.startsWith("io.inboxrelay.handler") || type.startsWith("io.inboxrelay.core") || type.startsWith("io.inboxrelay.store")) {
                handler = true;
            }
        }
        if (dynamoLocal) {
            return "DynamoDB Local (its HTTP server, engine, SQLite)";
        }
        if (thread.startsWith("stream-") || thread.startsWith("fanout-")) {
            return "stream poller + fan-out";
        }
        if (thread.startsWith("http") && handler) {
            return "webhook function (verify, parse, SDK calls)";
        }
        if (thread.startsWith("http") || thread.startsWith("ws")) {
            return "local API gateway emulation (Jetty)";
        }
        if (thread.startsWith("pool-") || thread.startsWith("HttpClient")) {
            return "load generator (4 senders)";
        }
        return "other (" + thread.replaceAll("[-#]?\\d+$", "") + ")";
    }

    @Override
    public void close() {
        recording.close();
    }
}
