package io.inboxrelay.local.cli;

import io.inboxrelay.core.Json;
import io.inboxrelay.core.auth.TokenMinter;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * The {@code inbox-relay} command line: finds the command, prints its help, runs it and answers
 * the exit code (0 ok, 1 failure, 2 usage). Output goes to {@code out}; errors, one line naming
 * the mistake and the help to read, to {@code err}.
 */
public final class Cli {

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    static final Set<String> COMMON_FLAGS = Set.of("verbose");

    /** What the commands need from outside: where to write, the time, the local JWT secret, a stop signal. */
    public record Context(PrintStream out, PrintStream err, Clock clock, Supplier<String> jwtSecret, CountDownLatch stop,
                          java.io.InputStream in, java.util.function.UnaryOperator<String> env) {

        public Context(PrintStream out, PrintStream err, Clock clock, Supplier<String> jwtSecret, CountDownLatch stop) {
            this(out, err, clock, jwtSecret, stop, System.in, System::getenv);
        }
    }

    /** {@code run}: the local stack, started by Main (it owns the process's logging and lifetime). */
    public interface StackRunner {
        void run(Args args) throws Exception;
    }

    private final Context context;
    private final StackRunner stackRunner;

    public Cli(Context context, StackRunner stackRunner) {
        this.context = context;
        this.stackRunner = stackRunner;
    }

    /** True when {@code args} ask for more logs than the tool's own output. */
    public static boolean verbose(String[] args) {
        return List.of(args).contains("--verbose");
    }

    /** The command {@code args} run: the first word, else {@code run}. */
    public static String command(String[] args) {
        for (String arg : args) {
            if (!arg.equals("--verbose")) {
                return arg.startsWith("-") && !arg.equals("-h") && !arg.equals("--help") ? "run" : arg;
            }
        }
        return "run";
    }

    public int run(String[] arguments) {
        List<String> args = new ArrayList<>(List.of(arguments));
        args.removeIf("--verbose"::equals);
        String command = args.isEmpty() || (args.get(0).startsWith("-") && !isHelp(args.get(0))) ? "run" : args.remove(0);
        String path = command;
        try {
            if (isHelp(command) || command.equals("help")) {
                return help(String.join(" ", args));
            }
            if (command.equals("sessions")) {
                if (!args.isEmpty() && isHelp(args.get(0))) {
                    return help("sessions");
                }
                String action = args.isEmpty() || args.get(0).startsWith("-") ? "list" : args.remove(0);
                path = "sessions " + action;
                if (args.stream().anyMatch(Cli::isHelp)) {
                    return help(Help.of(path).isPresent() ? path : "sessions");
                }
                if (Help.of(path).isEmpty()) {
                    throw new UsageException("sessions", "unknown sessions action '" + action + "' (add, list, rotate, disable, enable, seal, credentials, connect, test)");
                }
                return new SessionsCommand(context).run(action, path, args);
            }
            if (Help.of(command).isEmpty()) {
                throw new UsageException("", "unknown command '" + command + "'");
            }
            if (args.stream().anyMatch(Cli::isHelp)) {
                return help(command);
            }
            return switch (command) {
                case "run" -> {
                    stackRunner.run(Args.parse("run", args, RunOptions.VALUED, union(COMMON_FLAGS, RunOptions.FLAGS)));
                    yield OK;
                }
                case "token" -> token(Args.parse("token", args, Set.of("tenant", "user", "ttl"), union(COMMON_FLAGS, Set.of("json"))));
                case "status" -> new StatusCommand(context).run(args);
                case "tail" -> new TailCommand(context).run(args);
                default -> throw new UsageException("", "unknown command '" + command + "'");
            };
        } catch (UsageException e) {
            context.err().println(Help.PROGRAM + (e.command().isEmpty() ? "" : " " + e.command()) + ": " + e.getMessage());
            context.err().println("see '" + Help.hint(e.command()) + "'");
            return USAGE;
        } catch (CommandFailure e) {
            context.err().println(Help.PROGRAM + " " + path + ": " + e.getMessage());
            return FAILURE;
        } catch (Exception e) {
            // Not foreseen: the message says what (a port in use, a template that does not load), the class when it says nothing.
            context.err().println(Help.PROGRAM + " " + path + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return FAILURE;
        }
    }

    private int help(String command) {
        String text = Help.of(command.trim()).orElse(null);
        if (text == null) {
            throw new UsageException("", "no help for '" + command.trim() + "'");
        }
        context.out().print(text);
        return OK;
    }

    private int token(Args args) {
        String tenant = args.required("tenant");
        String user = args.get("user", "local-user");
        long ttl = args.number("ttl", 3600);
        if (ttl <= 0) {
            throw new UsageException("token", "--ttl must be a positive number of seconds");
        }
        String token = new TokenMinter(context.jwtSecret().get()).mint(tenant, user, Duration.ofSeconds(ttl));
        if (args.has("json")) {
            context.out().println(Json.write(Json.object().put("token", token).put("tenant_id", tenant).put("user_id", user)
                    .put("expires_at", context.clock().instant().plusSeconds(ttl).toString())));
        } else {
            context.out().println(token);
        }
        return OK;
    }

    static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h");
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
