package dev.kodiak.io;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.kodiak.KodiakException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A dataset's quarantine: files that should not be trained on are <em>moved</em> (never deleted) to
 * {@code DIR/.quarantine/<same relative path>} and logged in {@code DIR/.quarantine/quarantine.csv} (columns
 * {@code file, original_path, reason, by, time}; paths relative to {@code DIR}). The dataset finders
 * ({@link FolderFiles#find}) skip the hidden folder, so quarantined files drop out of training; {@link #restore} puts
 * them back. The quarantine knows no file formats: {@link Verifier} runs the format checks ({@link FileCheck}s) that
 * decide what moves.
 *
 * <p>Moves are atomic renames within the folder's file system, never overwrite (a name clash gets a {@code -1},
 * {@code -2}... suffix) and refuse paths outside {@code DIR}: every path, including the rows of a hand-edited log, is
 * resolved through {@link DataRoot} (symbolic links followed), so a linked folder cannot lead a move outside
 * {@code DIR}. A file that is a symbolic link to something outside {@code DIR} is not moved, and the quarantine
 * folder and its log must not be links (the log's rows are never read from, or written through, a link).
 * Thread-safe; instances on the same folder share a lock.
 */
public final class Quarantine {
    /** The quarantine folder's name inside the dataset folder. */
    public static final String FOLDER = ".quarantine";
    /** The log's name inside the quarantine folder. */
    public static final String LOG = "quarantine.csv";

    private static final CsvSchema SCHEMA = CsvSchema.builder().addColumn("file").addColumn("original_path")
            .addColumn("reason").addColumn("by").addColumn("time").build();
    private static final String HEADER = "file,original_path,reason,by,time\n";
    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(com.fasterxml.jackson.dataformat.csv.CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();
    private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private final DataRoot root;
    private final Path dir;
    private final Path folder;
    private final Clock clock;
    private final Object lock;

    /** What {@link #restore} did: the entries moved back, and the ones it would not move, each with why. */
    public record Restored(List<QuarantineEntry> restored, List<Refused> refused) {
        public Restored {
            restored = List.copyOf(restored);
            refused = List.copyOf(refused);
        }
    }

    /** An entry {@link #restore} left alone, and why (e.g. a file already exists at the original path). */
    public record Refused(QuarantineEntry entry, String why) {
    }

    private Quarantine(DataRoot root, Clock clock) {
        this.root = root;
        this.dir = root.path();
        this.folder = dir.resolve(FOLDER);
        this.clock = clock;
        this.lock = LOCKS.computeIfAbsent(dir, d -> new Object());
    }

    /** The quarantine of dataset folder {@code dir} (which must exist). */
    public static Quarantine of(Path dir) {
        return of(dir, Clock.systemUTC());
    }

    /** As {@link #of(Path)}, with the clock that stamps entries (tests pass a fixed one). */
    public static Quarantine of(Path dir, Clock clock) {
        if (!Files.isDirectory(dir)) {
            throw new KodiakException("dataset folder " + dir + " does not exist or is not a folder");
        }
        return new Quarantine(DataRoot.of(dir), clock);
    }

    /** The dataset folder (its real, absolute path). */
    public Path dir() {
        return dir;
    }

    /** {@code DIR/.quarantine}. */
    public Path folder() {
        return folder;
    }

    /** {@code DIR/.quarantine/quarantine.csv}. */
    public Path log() {
        return folder.resolve(LOG);
    }

    /**
     * Moves {@code file} (inside the dataset folder, not already quarantined) to the quarantine and logs it.
     *
     * @param reason why, in words
     * @param by     what is moving it ({@code verify}, {@code gather}, {@code clean}, ...)
     * @return the entry, whose {@link QuarantineEntry#file()} says where the file is now
     */
    public QuarantineEntry move(Path file, String reason, String by) {
        Path source = insideDataset(file);
        Path relative = dir.relativize(source);
        if (relative.startsWith(FOLDER)) {
            throw new KodiakException(file + " is already in the quarantine folder " + folder);
        }
        if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(source)) {
            throw new KodiakException("cannot quarantine " + file + ": it is not a file (or does not exist)");
        }
        if (Files.isSymbolicLink(source) && !root.contains(source)) {
            throw new KodiakException("refusing to quarantine " + file + ": it is a symbolic link to a file outside the"
                    + " dataset folder " + dir + "; Kodiak leaves such links alone (remove the link yourself)");
        }
        synchronized (lock) {
            Path target;
            try {
                requireRealFolder();
                target = root.resolveEntry(freeName(folder.resolve(relative)));
            } catch (OutsideDataRootException e) {
                throw new KodiakException("cannot quarantine " + file + ": " + e.getMessage(), e);
            }
            try {
                Files.createDirectories(target.getParent());
                moveWithoutOverwriting(source, target);
            } catch (IOException e) {
                throw new KodiakException("cannot move " + file + " to quarantine " + target + ": " + e.getMessage(), e);
            }
            QuarantineEntry entry = new QuarantineEntry(target, source, reason, by, clock.instant());
            try {
                append(entry);
            } catch (KodiakException e) {
                undo(target, source);
                throw e;
            }
            return entry;
        }
    }

    /** Everything the log lists, oldest first (empty when nothing was ever quarantined). */
    public List<QuarantineEntry> entries() {
        synchronized (lock) {
            return readLog();
        }
    }

    /** Moves every quarantined file back to where it was. */
    public Restored restore() {
        return restore(e -> true);
    }

    /**
     * Moves the quarantined files that {@code which} accepts back to their original paths. A file is left in
     * quarantine (and reported) when something already exists at its original path, or when the log names a path
     * outside the dataset folder; an entry whose quarantined file is gone is reported and dropped from the log.
     */
    public Restored restore(Predicate<QuarantineEntry> which) {
        synchronized (lock) {
            List<QuarantineEntry> remaining = new ArrayList<>();
            List<QuarantineEntry> restored = new ArrayList<>();
            List<Refused> refused = new ArrayList<>();
            List<QuarantineEntry> all = readLog();
            for (QuarantineEntry e : all) {
                if (!which.test(e)) {
                    remaining.add(e);
                    continue;
                }
                String why = restoreOne(e);
                if (why == null) {
                    restored.add(e);
                } else {
                    refused.add(new Refused(e, why));
                    if (Files.exists(e.file(), LinkOption.NOFOLLOW_LINKS)) {
                        remaining.add(e);
                    }
                }
            }
            if (remaining.size() != all.size()) {
                rewriteLog(remaining);
            }
            return new Restored(restored, refused);
        }
    }

    /** Moves one entry back; returns null when done, else why not. */
    private String restoreOne(QuarantineEntry e) {
        Path original;
        Path file;
        try {
            // Real paths: a row such as ".quarantine/a/k,evil/authorized_keys" with DIR/evil -> elsewhere must not
            // write (or, with a linked quarantine sub-folder, read) outside DIR.
            original = root.resolveEntry(e.originalPath());
            file = root.resolveEntry(e.file());
        } catch (OutsideDataRootException ex) {
            return "the row '" + rowText(e) + "' of " + log() + " names a path outside " + dir + " (" + ex.why()
                    + "; edited log?); not moved";
        }
        if (dir.relativize(original).startsWith(FOLDER)) {
            return "the row '" + rowText(e) + "' of " + log() + " has an original path inside " + folder
                    + " (edited log?); not moved";
        }
        if (!file.startsWith(folder) || file.equals(folder)) {
            return "the row '" + rowText(e) + "' of " + log() + " names a quarantined file outside " + folder
                    + " (edited log?); not moved";
        }
        if (Files.isSymbolicLink(file) && !root.contains(file)) {
            return "the quarantined file " + file + " is a symbolic link to something outside " + dir
                    + "; not moved (remove it yourself)";
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return "the quarantined file " + file + " is gone; dropped from the log";
        }
        if (Files.exists(original, LinkOption.NOFOLLOW_LINKS)) {
            return "a file already exists at " + original + "; left in quarantine (move or rename it, then restore)";
        }
        try {
            Files.createDirectories(original.getParent());
            moveWithoutOverwriting(file, original);
            return null;
        } catch (IOException ex) {
            return "cannot move " + file + " back to " + original + ": " + ex.getMessage();
        }
    }

    /** The real path of {@code file}'s entry, refusing anything that is not inside the dataset folder. */
    private Path insideDataset(Path file) {
        try {
            // Relative paths are relative to the working folder here (as the finders return them), not to DIR.
            return root.resolveEntry(file.toAbsolutePath());
        } catch (OutsideDataRootException e) {
            throw new KodiakException("refusing to quarantine " + file + ": it is not inside the dataset folder " + dir
                    + " (" + e.why() + ")", e);
        }
    }

    /** {@code file,original_path} of an entry's row, as the log holds it, to name the row in messages. */
    private String rowText(QuarantineEntry e) {
        return slashes(dir.relativize(e.file())) + "," + slashes(dir.relativize(e.originalPath()));
    }

    /**
     * Refuses a quarantine folder or log that is a symbolic link: reading through it would copy another file's content
     * into the log, writing through it would write outside {@code DIR}.
     */
    private void requireRealFolder() {
        for (Path p : List.of(folder, log())) {
            if (Files.isSymbolicLink(p)) {
                throw new KodiakException(p + " is a symbolic link; the quarantine must be a real folder and file inside "
                        + dir + " (remove the link and run again)");
            }
        }
    }

    /** {@code wanted}, or {@code name-1.ext}, {@code name-2.ext}, ... : the first that does not exist. */
    private static Path freeName(Path wanted) {
        if (!Files.exists(wanted, LinkOption.NOFOLLOW_LINKS)) {
            return wanted;
        }
        String name = wanted.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int i = 1; ; i++) {
            Path candidate = wanted.resolveSibling(stem + "-" + i + ext);
            if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                return candidate;
            }
        }
    }

    /**
     * An atomic rename where the file system allows it, else a plain move. A rename replaces an existing target on
     * POSIX, so the target is checked first (under the lock); the plain move refuses existing targets by itself.
     */
    private static void moveWithoutOverwriting(Path from, Path to) throws IOException {
        if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
            throw new java.nio.file.FileAlreadyExistsException(to.toString());
        }
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void undo(Path target, Path source) {
        try {
            moveWithoutOverwriting(target, source);
        } catch (IOException ignored) {
            // the log could not be written and the file cannot go back: it stays in quarantine, unlogged
        }
    }

    private void append(QuarantineEntry e) {
        Path log = log();
        requireRealFolder();
        try {
            Files.createDirectories(folder);
            boolean fresh = !Files.exists(log) || Files.size(log) == 0;
            String text = (fresh ? HEADER : "") + CSV.writer(SCHEMA).writeValueAsString(row(e));
            try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    LinkOption.NOFOLLOW_LINKS)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException ex) {
            throw new KodiakException("cannot write the quarantine log " + log + ": " + ex.getMessage(), ex);
        }
    }

    private Map<String, String> row(QuarantineEntry e) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("file", slashes(dir.relativize(e.file())));
        row.put("original_path", slashes(dir.relativize(e.originalPath())));
        row.put("reason", e.reason());
        row.put("by", e.by());
        row.put("time", e.time().toString());
        return row;
    }

    private static String slashes(Path relative) {
        return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
    }

    private List<QuarantineEntry> readLog() {
        Path log = log();
        requireRealFolder();
        if (!Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<QuarantineEntry> entries = new ArrayList<>();
        try (MappingIterator<Map<String, String>> rows =
                     CSV.readerFor(Map.class).with(CsvSchema.emptySchema().withHeader())
                             .readValues(Files.newInputStream(log, LinkOption.NOFOLLOW_LINKS))) {
            int line = 1;
            while (rows.hasNext()) {
                line++;
                Map<String, String> r = rows.next();
                String file = r.get("file");
                String original = r.get("original_path");
                if (file == null || file.isBlank() || original == null || original.isBlank()) {
                    throw new KodiakException(log + " line " + line + ": 'file' and 'original_path' must not be empty");
                }
                Instant time;
                try {
                    time = Instant.parse(r.getOrDefault("time", ""));
                } catch (DateTimeParseException ex) {
                    time = Instant.EPOCH; // a hand-edited time must not make the quarantine unreadable
                }
                entries.add(new QuarantineEntry(dir.resolve(file).normalize(), dir.resolve(original).normalize(),
                        r.get("reason"), r.get("by"), time));
            }
        } catch (IOException | RuntimeException ex) {
            if (ex instanceof KodiakException k) {
                throw k;
            }
            throw new KodiakException("cannot read the quarantine log " + log + ": " + ex.getMessage(), ex);
        }
        return entries;
    }

    /** Replaces the log with {@code entries}: a temporary file moved into place, so a crash leaves the old log. */
    private void rewriteLog(List<QuarantineEntry> entries) {
        Path log = log();
        requireRealFolder();
        Path temp = null;
        try {
            Files.createDirectories(folder);
            temp = Files.createTempFile(folder, "." + LOG, ".tmp");
            try (OutputStream out = Files.newOutputStream(temp)) {
                out.write(HEADER.getBytes(StandardCharsets.UTF_8));
                for (QuarantineEntry e : entries) {
                    out.write(CSV.writer(SCHEMA).writeValueAsBytes(row(e)));
                }
            }
            try {
                Files.move(temp, log, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, log, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException ex) {
            throw new KodiakException("cannot rewrite the quarantine log " + log + ": " + ex.getMessage(), ex);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // already moved into place, or the rewrite failed: the old log stands
                }
            }
        }
    }
}
