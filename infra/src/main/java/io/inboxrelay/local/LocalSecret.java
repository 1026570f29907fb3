package io.inboxrelay.local;

import io.inboxrelay.config.Env;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The local HS256 secret: JWT_SECRET if set, else the one kept in {@code .local-data/jwt-secret}
 * (generated on first use), so {@code token} in another terminal mints tokens the running stack accepts.
 * The directory is the working directory, or {@code -Dinboxrelay.home} (the repository root, which
 * {@code infra/bin/inbox-relay} sets so that it finds the same secret from any directory).
 */
public final class LocalSecret {

    static final Path FILE = Path.of(System.getProperty("inboxrelay.home", "")).resolve(Path.of(".local-data", "jwt-secret"));

    private LocalSecret() {
    }

    public static String jwtSecret() {
        String configured = Env.get("JWT_SECRET");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        try {
            if (Files.isRegularFile(FILE)) {
                return Files.readString(FILE, StandardCharsets.UTF_8).trim();
            }
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String secret = HexFormat.of().formatHex(bytes);
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, secret + "\n", StandardCharsets.UTF_8);
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the local JWT secret in " + FILE.toAbsolutePath(), e);
        }
    }
}
