package io.inboxrelay.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Files only their owner may read, for {@code .local-data/}: what the local stack keeps between runs
 * (the JWT secret, the key that seals session secrets). Only its owner may read it: the directory is 0700 and every file 0600, set when
 * they are made and repaired on every use (a checkout made before this kept them 0755/0644).
 */
public final class OwnerOnlyFiles {

    /** The working directory's, or {@code -Dinboxrelay.home}'s (the repository root the launcher passes). */
    public static final Path LOCAL_DATA = Path.of(System.getProperty("inboxrelay.home", "")).resolve(".local-data");

    static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {
    }

    /** The directory, created 0700 (its permissions repaired if it exists). */
    public static Path directory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                try {
                    if (isPosix(dir.toAbsolutePath().getParent())) {
                        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
                    } else {
                        Files.createDirectories(dir);
                    }
                } catch (FileAlreadyExistsException raced) {
                    // made by another process meanwhile; its permissions are repaired below
                }
            }
            restrict(dir, OWNER_ONLY_DIR);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep local data in " + dir.toAbsolutePath(), e);
        }
    }

    /**
     * The contents of a secret file, made once from {@code create} with 0600 (never readable by others,
     * not even for an instant) in a 0700 directory; an existing file has its permissions repaired.
     */
    public static byte[] secretFile(Path file, Supplier<byte[]> create) {
        directory(file.toAbsolutePath().getParent());
        try {
            if (!Files.exists(file)) {
                // Written whole under a temporary name, then linked into place: a process starting at the same
                // moment sees either no file or the complete one, and the first to link wins.
                Path parent = file.toAbsolutePath().getParent();
                Path temporary = isPosix(parent)
                        ? Files.createTempFile(parent, ".new-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE))
                        : Files.createTempFile(parent, ".new-", ".tmp");
                try {
                    Files.write(temporary, create.get());
                    Files.createLink(file, temporary);
                } catch (FileAlreadyExistsException raced) {
                    // another process made it first: read theirs
                } finally {
                    Files.deleteIfExists(temporary);
                }
            }
            restrict(file, OWNER_ONLY_FILE);
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep " + file.toAbsolutePath(), e);
        }
    }

    private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
        if (isPosix(path) && !Files.getPosixFilePermissions(path).equals(permissions)) {
            Files.setPosixFilePermissions(path, permissions);
        }
    }

    private static boolean isPosix(Path path) {
        return path != null && Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
    }
}
