package io.inboxrelay.local;

import io.inboxrelay.config.Env;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The local HS256 secret: JWT_SECRET if set, else the one kept in {@code .local-data/jwt-secret}
 * (generated on first use, 0600 in a 0700 directory: see {@link LocalData}), so {@code token} in another terminal
 * mints tokens the running stack accepts. The directory is the working directory's, or {@code -Dinboxrelay.home}'s
 * (the repository root, which {@code infra/bin/inbox-relay} sets so that it finds the same secret from any directory).
 */
public final class LocalSecret {

    static final Path FILE = LocalData.DIR.resolve("jwt-secret");

    private LocalSecret() {
    }

    public static String jwtSecret() {
        String configured = Env.get("JWT_SECRET");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return stored(FILE);
    }

    /** The secret kept in {@code file}, generated there (0600, in a 0700 directory) if it is not yet. */
    public static String stored(Path file) {
        byte[] stored = LocalData.secretFile(file, () -> {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            return (HexFormat.of().formatHex(bytes) + "\n").getBytes(StandardCharsets.UTF_8);
        });
        return new String(stored, StandardCharsets.UTF_8).trim();
    }
}
