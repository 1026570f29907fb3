package io.inboxrelay.local.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Runs the command line in this JVM and keeps what it printed on each stream. */
final class CliRunner {

    record Result(int code, String out, String err) {

        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    private final Clock clock;
    private final String jwtSecret;

    CliRunner(Clock clock, String jwtSecret) {
        this.clock = clock;
        this.jwtSecret = jwtSecret;
    }

    CliRunner() {
        this(Clock.systemUTC(), "cli-test-secret-cli-test-secret-0123456789");
    }

    CliRunner at(Clock other) {
        return new CliRunner(other, jwtSecret);
    }

    Result run(String... args) {
        return run(new CountDownLatch(1), new Streams(), args);
    }

    /** Output streams a test can read while the command still runs (tail). */
    static final class Streams {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();

        String out() {
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }

        String err() {
            synchronized (err) {
                return err.toString(StandardCharsets.UTF_8);
            }
        }
    }

    Result run(CountDownLatch stop, Streams streams, String... args) {
        return run(stop, streams, "", java.util.Map.of(), args);
    }

    /** With this text on standard input and these environment variables. */
    Result runWith(String stdin, java.util.Map<String, String> env, String... args) {
        return run(new CountDownLatch(1), new Streams(), stdin, env, args);
    }

    private Result run(CountDownLatch stop, Streams streams, String stdin, java.util.Map<String, String> env, String... args) {
        PrintStream out = new PrintStream(new Locked(streams.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new Locked(streams.err), true, StandardCharsets.UTF_8);
        int code = new Cli(new Cli.Context(out, err, clock, () -> jwtSecret, stop,
                new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), env::get), options -> {
            throw new IllegalStateException("run is not started by these tests");
        }).run(args);
        out.flush();
        err.flush();
        return new Result(code, streams.out(), streams.err());
    }

    private static final class Locked extends java.io.OutputStream {
        private final ByteArrayOutputStream target;

        Locked(ByteArrayOutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            synchronized (target) {
                target.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (target) {
                target.write(b, off, len);
            }
        }
    }
}
