package io.inboxrelay.local.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real {@code Main} in its own JVM, as {@code java -jar} runs it: its exit code and both streams, whole. */
final class JavaProcess implements AutoCloseable {

    final Process process;
    final Path out;
    final Path err;

    private JavaProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    static JavaProcess start(Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        for (String property : List.of("sqlite4java.library.path", "template.file")) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.add("io.inboxrelay.local.Main");
        command.addAll(List.of(args));
        Path out = Files.createTempFile("cli-out", ".txt");
        Path err = Files.createTempFile("cli-err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(environment);
        return new JavaProcess(builder.start(), out, err);
    }

    /** Runs to the end (at most a minute). */
    static CliRunner.Result run(Map<String, String> environment, String... args) throws Exception {
        try (JavaProcess java = start(environment, args)) {
            if (!java.process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("did not end: " + List.of(args));
            }
            return java.result();
        }
    }

    CliRunner.Result result() throws IOException {
        return new CliRunner.Result(process.exitValue(), out(), err());
    }

    String out() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    String err() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    /** Sends a signal as a terminal or kill would ({@code INT} for Ctrl-C). */
    void signal(String name) throws Exception {
        new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
    }
}
