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

    static String top(Map<String, Double> shares, int limit) {
        return shares.entrySet().stream().limit(limit)
                .map(e -> String.format(java.util.Locale.ROOT, "%s %.0f%%", e.getKey(), e.getValue()))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    public Path file() {
        return file;
    }

    static String component(String thread, RecordedStackTrace stack) {
        List<RecordedFrame> frames = stack == null ? List.of() : stack.getFrames();
        boolean dynamoLocal = false;
        boolean function = false;
        boolean management = false;
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod() == null ? "" : frame.getMethod().getType().getName();
            if (type.startsWith("com.amazonaws.services.dynamodbv2") || type.startsWith("com.almworks.sqlite4java")) {
                dynamoLocal = true;
            } else if (type.startsWith("io.inboxrelay.local.ws.ManagementApiHandler")) {
                management = true;
            } else if (type.startsWith("io.inboxrelay.handler") || type.startsWith("io.inboxrelay.push")
                    || type.startsWith("io.inboxrelay.store") || type.startsWith("io.inboxrelay.core")) {
                function = true;
            }
        }
        if (dynamoLocal) {
            return "DynamoDB Local";
        }
        if (thread.startsWith("bench-sender") || thread.startsWith("HttpClient")) {
            return "webhook senders";
        }
        if (thread.startsWith("bench-raw")) {
            return "raw PutItem loop";
        }
        if (management) {
            return "@connections emulation";
        }
        if (thread.startsWith("fanout-") || thread.startsWith("stream-")) {
            return "fan-out function + stream poller";
        }
        if (function) {
            return "functions (webhook, ws routes)";
        }
        if (thread.startsWith("WebSocketClient") || thread.startsWith("bench-browser")) {
            return "browsers (WebSocket clients)";
        }
        if (thread.startsWith("http") || thread.startsWith("ws")) {
            return "API Gateway emulation (Jetty)";
        }
        if (thread.startsWith("qtp")) {
            return "DynamoDB Local (Jetty I/O)";
        }
        return "other";
    }

    @Override
    public void close() {
        recording.close();
    }
}
