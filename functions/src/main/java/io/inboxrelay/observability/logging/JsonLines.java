package io.inboxrelay.observability.logging;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Where log lines go: stdout, which Lambda ships to CloudWatch Logs, one line per event. */
final class JsonLines {

    private JsonLines() {
    }

    static Consumer<String> stdout() {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        return line -> {
            // One println per event, so lines from concurrent threads never interleave.
            synchronized (out) {
                out.println(line);
            }
        };
    }
}
