package io.inboxrelay.local.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command's options, checked against what it accepts: an option it does not know, a missing
 * value or a stray word is a {@link UsageException} naming it and the command.
 */
public final class Args {

    private final String command;
    private final Map<String, String> values;

    private Args(String command, Map<String, String> values) {
        this.command = command;
        this.values = values;
    }

    /**
     * @param valued the options that take a value (without {@code --})
     * @param flags  the options that take none
     */
    public static Args parse(String command, List<String> args, Set<String> valued, Set<String> flags) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException(command, "unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String inline = null;
            int equals = name.indexOf('=');
            if (equals > 0) {
                inline = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (flags.contains(name)) {
                if (inline != null) {
                    throw new UsageException(command, "option --" + name + " takes no value");
                }
                values.put(name, "true");
            } else if (valued.contains(name)) {
                if (inline == null) {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                        throw new UsageException(command, "option --" + name + " needs a value");
                    }
                    inline = args.get(++i);
                }
                values.put(name, inline);
            } else {
                throw new UsageException(command, "unknown option '--" + name + "'");
            }
        }
        return new Args(command, values);
    }

    public String get(String name) {
        return values.get(name);
    }

    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String required(String name) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw new UsageException(command, "--" + name + " is required");
        }
        return value;
    }

    public long number(String name, long fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(command, "--" + name + " must be a number, not '" + value + "'");
        }
    }

    public int port(String name, int fallback) {
        long port = number(name, fallback);
        if (port < 0 || port > 65_535) {
            throw new UsageException(command, "--" + name + " must be a port number");
        }
        return (int) port;
    }
}
