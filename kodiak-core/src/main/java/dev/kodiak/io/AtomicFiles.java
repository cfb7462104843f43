package dev.kodiak.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Publishing a finished file in one step, so readers never see half of it. */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Moves {@code from} over {@code to} atomically where the file system can, replacing any old file. */
    public static void move(Path from, Path to) throws IOException {
        readableByAll(from);
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Temporary files are created owner-only (rw-------); the published file gets the usual rw-r--r-- so that other
     * users and services (a web server, a CI job) can read a model or a report.
     */
    public static void readableByAll(Path file) {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system: its default permissions apply
        }
    }

    /** Deletes a temporary file of ours if it exists; a failure here must not hide the original error. */
    public static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort: the caller is already reporting the error that matters
        }
    }

    /**
     * Deletes the temporary files that writes of {@code target} left behind when the process was killed before its
     * move: {@code .<name><digits>.tmp} beside it, the names {@code Files.createTempFile(dir, "." + name, ".tmp")}
     * gives (as {@code ModelFile.write} does). Only regular files with exactly that name pattern are touched, never
     * anything else in the folder. Returns how many were deleted.
     */
    public static int deleteStaleTemps(Path target) {
        Path name = target.getFileName();
        Path dir = target.toAbsolutePath().getParent();
        if (name == null || dir == null || !Files.isDirectory(dir)) {
            return 0;
        }
        java.util.regex.Pattern temp = java.util.regex.Pattern.compile(
                "\\." + java.util.regex.Pattern.quote(name.toString()) + "\\d+\\.tmp");
        int deleted = 0;
        try (var files = Files.newDirectoryStream(dir, f -> temp.matcher(f.getFileName().toString()).matches())) {
            for (Path f : files) {
                if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(f);
                    deleted++;
                }
            }
        } catch (IOException ignored) {
            // a leftover temporary file wastes space but harms nothing: never fail a run for it
        }
        return deleted;
    }
}
