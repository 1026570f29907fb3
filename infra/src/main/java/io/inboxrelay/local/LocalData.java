package io.inboxrelay.local;

import io.inboxrelay.secrets.OwnerOnlyFiles;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * {@code .local-data/}: what the local stack keeps between runs (the JWT secret, the key that seals
 * session secrets), 0700 with 0600 files: see {@link OwnerOnlyFiles}.
 */
public final class LocalData {

    public static final Path DIR = OwnerOnlyFiles.LOCAL_DATA;

    private LocalData() {
    }

    public static Path directory(Path dir) {
        return OwnerOnlyFiles.directory(dir);
    }

    public static byte[] secretFile(Path file, Supplier<byte[]> create) {
        return OwnerOnlyFiles.secretFile(file, create);
    }
}
