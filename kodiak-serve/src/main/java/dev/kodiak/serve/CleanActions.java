package dev.kodiak.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.KodiakException;
import dev.kodiak.data.CsvDocument;
import dev.kodiak.data.CsvRow;
import dev.kodiak.data.TaskKind;
import dev.kodiak.io.DataRoot;
import dev.kodiak.io.OutsideDataRootException;
import dev.kodiak.io.Quarantine;
import dev.kodiak.io.QuarantineEntry;
import dev.kodiak.model.Manifest;
import dev.kodiak.data.InputKind;
import dev.kodiak.data.InputKinds;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cleaner's changes to a data folder, applied to disk at once and safely: a delete moves the file into the
 * folder's {@link Quarantine} (never unlinks it), a relabel moves it into the sibling folder of another label (a
 * name clash gets a {@code -1}, {@code -2}... suffix; nothing is overwritten), every action is appended to
 * {@code DATA_DIR/.kodiak-clean.log} (JSON lines, see {@link CleanAction}), and {@link #undoLast()} reverses the
 * latest action not yet undone.
 *
 * <p>Paths come from a browser and are never trusted: {@link #file(String)} accepts only a relative path to an image
 * file that really is inside the data folder (no {@code ..}, no absolute paths, no hidden folders such as the
 * quarantine, no symbolic links leading out). Every path read or written, including a relabel's target folder, is
 * resolved through {@link DataRoot}, so a label folder that is a link to elsewhere cannot lead a move outside. The
 * log is data, not a command: {@link #undoLast()} checks each entry as it would a request (known action, relative
 * image paths inside the data folder) before moving anything, and the log is never read or written through a link.
 *
 * <p>On CSV-labelled data (a model trained with {@code --csv}; see {@link CleanCsv}) the items are the CSV's rows: a
 * relabel rewrites the file's target cells in the CSV (the file stays where it is), a delete quarantines the file and
 * takes its row out of the CSV, and undo puts the cells, or the file and its row, back. The log records the CSV, the
 * row and the cells before and after. A CSV outside the data folder is read-only: every change is refused (409).
 * Thread-safe.
 */
public final class CleanActions {
    /** The log's name inside the data folder. */
    public static final String LOG = ".kodiak-clean.log";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataRoot dataRoot;
    private final Path root;
    private final Quarantine quarantine;
    private final Clock clock;
    private final CleanCsv csv;
    private final InputKind kind; // which files are the data's: images, sound files, ...

    private CleanActions(DataRoot dataRoot, Clock clock, CleanCsv csv, InputKind kind) {
        this.kind = kind;
        this.dataRoot = dataRoot;
        this.root = dataRoot.path();
        this.clock = clock;
        this.quarantine = Quarantine.of(root, clock);
        this.csv = csv;
    }

    /** The actions on data folder {@code dir} (which must exist). */
    public static CleanActions of(Path dir) {
        return of(dir, Clock.systemUTC());
    }

    public static CleanActions of(Path dir, Clock clock) {
        if (!Files.isDirectory(dir)) {
            throw new KodiakException("data folder " + dir + " does not exist or is not a folder");
        }
        return new CleanActions(DataRoot.of(dir), clock, null, InputKinds.byName("image"));
    }

    /**
     * The actions on data folder {@code dir} whose targets come from the CSV {@code targets} describes (as a model file
     * records it), read for task {@code kind}; a null {@code targets} means folder-labelled data.
     */
    public static CleanActions of(Path dir, Clock clock, Manifest.CsvTargets targets, TaskKind kind) {
        return of(dir, clock, targets, kind, InputKinds.byName("image"));
    }

    /** As {@link #of(Path, Clock, Manifest.CsvTargets, TaskKind)} for data of the input kind {@code input}. */
    public static CleanActions of(Path dir, Clock clock, Manifest.CsvTargets targets, TaskKind kind, InputKind input) {
        if (!Files.isDirectory(dir)) {
            throw new KodiakException("data folder " + dir + " does not exist or is not a folder");
        }
        DataRoot dataRoot = DataRoot.of(dir);
        return new CleanActions(dataRoot, clock, targets == null ? null : CleanCsv.of(dataRoot, targets, kind), input);
    }

    /** The labels CSV on CSV-labelled data, or null when the labels are the folders. */
    public CleanCsv csv() {
        return csv;
    }

    /** The data folder (real, absolute path). */
    public Path root() {
        return root;
    }

    /** {@code DATA_DIR/.kodiak-clean.log}. */
    public Path log() {
        return root.resolve(LOG);
    }

    /**
     * The image file that {@code relative} names inside the data folder.
     *
     * @throws ApiError 400 for a path that is absolute, climbs out, enters a hidden folder or is not an image name;
     *                  404 when no such file exists
     */
    public Path file(String relative) {
        Path real = place(relative, false);
        if (!Files.exists(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new ApiError(404, "no such file in the data folder: " + relative + " (moved or deleted already?)");
        }
        if (Files.isSymbolicLink(real) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw refused(relative, "it is a link or not a regular file inside the data folder");
        }
        return real;
    }

    /**
     * Where {@code relative} (an image path from a request or the log) really is: checked as text (relative, {@code /}
     * separators, no {@code .}, {@code ..} or hidden parts; {@code inQuarantine} allows a leading {@code .quarantine/})
     * and then resolved with every folder link followed; it need not exist.
     *
     * @throws ApiError 400 when it is not an image path inside the data folder
     */
    private Path place(String relative, boolean inQuarantine) {
        if (relative == null || relative.isBlank()) {
            throw new ApiError(400, "no file given: pass its path relative to the data folder, e.g. grizzly/001.jpg");
        }
        if (relative.indexOf('\0') >= 0 || relative.contains("\\") || relative.startsWith("/") || relative.contains(":")) {
            throw refused(relative, "only relative paths with / separators are accepted");
        }
        String[] parts = relative.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean quarantineFolder = inQuarantine && i == 0 && part.equals(Quarantine.FOLDER) && parts.length > 1;
            if (part.isEmpty() || part.equals("..") || part.equals(".") || part.startsWith(".") && !quarantineFolder) {
                throw refused(relative, "empty, '.', '..' and hidden path parts are not accepted");
            }
        }
        if (inQuarantine != relative.startsWith(Quarantine.FOLDER + "/") || !kind.recognises(Path.of(parts[parts.length - 1]))) {
            throw refused(relative, "it is not " + (kind.name().equals("image") ? "an image" : "a " + kind.name())
                    + " file inside the " + (inQuarantine ? "quarantine" : "data folder"));
        }
        Path real;
        try {
            real = dataRoot.resolveEntry(relative);
        } catch (OutsideDataRootException e) {
            throw refused(relative, e.why());
        }
        if (hiddenInside(real) != inQuarantine) {
            throw refused(relative, "a link on the way leads " + (inQuarantine ? "out of" : "into") + " a hidden folder");
        }
        return real;
    }

    /** True when {@code real} (inside the data folder) is in a hidden folder such as the quarantine. */
    private boolean hiddenInside(Path real) {
        for (Path part : root.relativize(real)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The image files the cleaner shows: those of the data folder that are regular files, not links, so that every one
     * of them can be served and moved (a link to a file elsewhere is never read).
     */
    public List<Path> images() {
        List<Path> images = new ArrayList<>();
        for (Path f : csv != null ? csv.table().files() : kind.find(root)) {
            if (!Files.isSymbolicLink(f) && dataRoot.contains(f)) {
                images.add(f);
            }
        }
        return images;
    }

    /** The bytes of {@code file} (from {@link #file}), opened without following a link swapped in since. */
    public byte[] read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return in.readAllBytes();
        }
    }

    /** {@code file} relative to the data folder, with / separators. */
    public String relative(Path file) {
        return dataRoot.relative(file);
    }

    /** On CSV-labelled data, the CSV's rows as they are now (files listed that exist, in CSV order). */
    public List<CsvRow> rows() {
        return csv == null ? List.of() : csv.table().rows();
    }

    /** Moves the file into the quarantine (see {@link Quarantine}) and logs it. */
    public synchronized CleanAction delete(String relative) {
        if (csv != null) {
            return deleteRow(relative);
        }
        Path file = file(relative);
        QuarantineEntry entry = quarantine.move(file, "deleted in kodiak clean", "clean");
        return append(CleanAction.DELETE, relative(file), relative(entry.file()), null);
    }

    /**
     * Moves the file into the folder of {@code label} next to its current label's folder ({@code black/007.jpg} →
     * {@code grizzly/007.jpg}; {@code train/black/007.jpg} → {@code train/grizzly/007.jpg}), creating it if needed.
     */
    public synchronized CleanAction relabel(String relative, String label) {
        if (csv != null) {
            return relabelCsv(relative, csv.singleLabel(label));
        }
        Path file = file(relative);
        if (label == null || label.isBlank() || label.contains("/") || label.contains("\\") || label.startsWith(".")
                || label.indexOf('\0') >= 0 || label.length() > 200) {
            throw new ApiError(400, "'" + label + "' cannot be a label folder name");
        }
        Path labelDir = file.getParent();
        if (labelDir.equals(root)) {
            throw new ApiError(400, relative + " is not inside a label folder, so it cannot move to another label");
        }
        if (labelDir.getFileName().toString().equals(label)) {
            throw new ApiError(400, relative + " already has the label " + label);
        }
        // The label's folder may be a link: resolved, it must still be a visible folder inside the data folder.
        Path target = freeName(place(relative(labelDir.resolveSibling(label).resolve(file.getFileName())), false));
        try {
            Files.createDirectories(target.getParent());
            moveWithoutOverwriting(file, target);
        } catch (IOException e) {
            throw new KodiakException("cannot move " + relative + " to " + relative(target) + ": " + e.getMessage(), e);
        }
        return append(CleanAction.RELABEL, relative(file), relative(target), null);
    }

    /**
     * On CSV-labelled data: sets the target cells of {@code relative}'s row to {@code cells} (one per target column,
     * from {@link CleanCsv#singleLabel}, {@link CleanCsv#multiLabel} or {@link CleanCsv#regression}); the file stays.
     *
     * @throws ApiError 400 when the file has no row or already has these targets, 409 when the CSV is read-only
     */
    public synchronized CleanAction relabelCsv(String relative, List<String> cells) {
        CleanCsv c = requireCsv();
        Path file = file(relative);
        CsvDocument doc = c.document();
        int r = c.recordOf(doc, file);
        if (r < 0) {
            throw new ApiError(400, relative + " has no row in " + c.name());
        }
        List<String> before = c.targets(doc, r);
        if (before.equals(cells)) {
            throw new ApiError(400, relative + " already has the target " + String.join(", ", cells) + " in " + c.name());
        }
        String record = doc.text(r);
        c.setTargets(doc, r, cells);
        c.write(doc);
        return append(new CleanAction(0, null, CleanAction.RELABEL, relative(file), null, null, c.name(), r, record,
                before, List.copyOf(cells)));
    }

    // The file goes into the quarantine and its row out of the CSV; a failed move puts the row back.
    private CleanAction deleteRow(String relative) {
        CleanCsv c = requireCsv();
        Path file = file(relative);
        CsvDocument doc = c.document();
        int r = c.recordOf(doc, file);
        if (r < 0) {
            throw new ApiError(400, relative + " has no row in " + c.name());
        }
        String record = doc.remove(r);
        c.write(doc);
        QuarantineEntry entry;
        try {
            entry = quarantine.move(file, "deleted in kodiak clean (row " + r + " of " + c.name() + ")", "clean");
        } catch (RuntimeException e) {
            doc.insert(r, record);
            doc.write(c.file());
            throw e;
        }
        return append(new CleanAction(0, null, CleanAction.DELETE, relative(file), relative(entry.file()), null,
                c.name(), r, record, null, null));
    }

    private CleanCsv requireCsv() {
        if (csv == null) {
            throw new ApiError(400, "this data is labelled by its folders, not by a CSV: move the file to another label");
        }
        csv.requireEditable();
        return csv;
    }

    // Undoes a CSV relabel (the cells come back, if nobody changed them since) or delete (file and row come back).
    private void undoCsv(CleanAction last) {
        CleanCsv c = requireCsv();
        if (!c.name().equals(last.csv())) {
            throw new ApiError(409, "the log entry #" + last.id() + " changed " + last.csv() + ", but the model's CSV is "
                    + c.name() + "; nothing was changed");
        }
        CsvDocument doc = c.document();
        Path original;
        try {
            original = place(last.file(), false);
        } catch (ApiError e) {
            throw new ApiError(409, "the log entry #" + last.id() + " of " + log() + " cannot be undone: "
                    + e.getMessage() + " (edited log?); nothing was changed");
        }
        int r = c.recordOf(doc, original);
        if (CleanAction.RELABEL.equals(last.action())) {
            if (r < 0) {
                throw new ApiError(409, "cannot undo #" + last.id() + ": " + last.file() + " has no row in " + c.name()
                        + " any more");
            }
            List<String> now = c.targets(doc, r);
            if (last.after() == null || last.before() == null || !now.equals(last.after())
                    || last.before().size() != now.size()) {
                throw new ApiError(409, "cannot undo #" + last.id() + ": the row of " + last.file() + " in " + c.name()
                        + " now says " + now + ", not " + last.after() + " (changed since?); nothing was changed");
            }
            // The record as it was written (its quoting too), when the log keeps it; else its cells are set back.
            if (last.record() != null) {
                doc.remove(r);
                doc.insert(r, last.record());
            }
            if (!c.targets(doc, r).equals(last.before())) { // an edited log's record: trust only its cells
                c.setTargets(doc, r, last.before());
            }
            c.write(doc);
            return;
        }
        if (r >= 0) {
            throw new ApiError(409, "cannot undo #" + last.id() + ": " + c.name() + " lists " + last.file()
                    + " again (row " + r + "); nothing was changed");
        }
        if (last.record() == null || last.row() == null) {
            throw new ApiError(409, "the log entry #" + last.id() + " does not keep the deleted row (edited log?)");
        }
        Path now;
        try {
            now = place(last.to(), true);
        } catch (ApiError e) {
            throw new ApiError(409, "the log entry #" + last.id() + " of " + log() + " cannot be undone: "
                    + e.getMessage() + " (edited log?); nothing was changed");
        }
        doc.insert(last.row(), last.record());
        if (c.recordOf(doc, original) < 0) {
            throw new ApiError(409, "the log entry #" + last.id() + " keeps a row that does not name " + last.file()
                    + " (edited log?); nothing was changed");
        }
        restoreFromQuarantine(last, now);
        c.write(doc);
    }

    private void restoreFromQuarantine(CleanAction last, Path now) {
        Quarantine.Restored r = quarantine.restore(e -> e.file().normalize().equals(now));
        if (r.restored().isEmpty()) {
            String why = r.refused().isEmpty() ? "it is no longer in the quarantine log" : r.refused().get(0).why();
            throw new ApiError(409, "cannot bring back " + last.file() + ": " + why);
        }
    }

    /**
     * Reverses the latest action that is not undone yet: a deleted file comes back from the quarantine, a relabelled
     * one moves back. Refuses (409) when something now occupies the original path.
     *
     * @throws ApiError 409 when there is nothing to undo or the file cannot go back
     */
    public synchronized CleanAction undoLast() {
        List<CleanAction> all = history();
        Set<Integer> undone = new HashSet<>();
        for (CleanAction a : all) {
            if (a.undoes() != null) {
                undone.add(a.undoes());
            }
        }
        CleanAction last = null;
        for (int i = all.size() - 1; i >= 0; i--) {
            CleanAction a = all.get(i);
            if (!CleanAction.UNDO.equals(a.action()) && !undone.contains(a.id())) {
                last = a;
                break;
            }
        }
        if (last == null) {
            throw new ApiError(409, "nothing to undo");
        }
        if (last.csv() != null) {
            undoCsv(last);
            return append(new CleanAction(0, null, CleanAction.UNDO, last.file(), last.to(), last.id(), last.csv(),
                    last.row(), null, null, null));
        }
        boolean deleted = CleanAction.DELETE.equals(last.action());
        if (!deleted && !CleanAction.RELABEL.equals(last.action())) {
            throw new ApiError(409, "the log entry #" + last.id() + " of " + log() + " has an unknown action '"
                    + last.action() + "' (edited log?); nothing was moved");
        }
        Path original;
        Path now;
        try {
            original = place(last.file(), false);
            now = place(last.to(), deleted);
        } catch (ApiError e) {
            throw new ApiError(409, "the log entry #" + last.id() + " of " + log() + " cannot be undone: "
                    + e.getMessage() + " (edited log?); nothing was moved");
        }
        if (deleted) {
            restoreFromQuarantine(last, now);
        } else {
            if (Files.exists(original, LinkOption.NOFOLLOW_LINKS)) {
                throw new ApiError(409, "cannot move " + last.to() + " back: a file already exists at " + last.file());
            }
            if (!Files.isRegularFile(now, LinkOption.NOFOLLOW_LINKS)) {
                throw new ApiError(409, "cannot move " + last.to() + " back: it is gone (or is not a regular file)");
            }
            try {
                Files.createDirectories(original.getParent());
                moveWithoutOverwriting(now, original);
            } catch (IOException e) {
                throw new ApiError(409, "cannot move " + last.to() + " back to " + last.file() + ": " + e.getMessage());
            }
        }
        return append(CleanAction.UNDO, last.file(), last.to(), last.id());
    }

    /** Every action logged so far, oldest first. */
    public synchronized List<CleanAction> history() {
        Path log = log();
        requireNotALink(log);
        if (!Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<CleanAction> actions = new ArrayList<>();
        try (InputStream in = Files.newInputStream(log, LinkOption.NOFOLLOW_LINKS)) {
            int n = 0;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                n++;
                if (!line.isBlank()) {
                    try {
                        actions.add(JSON.readValue(line, CleanAction.class));
                    } catch (IOException e) {
                        throw new KodiakException(log + " line " + n + " is not a cleaner action: " + e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new KodiakException("cannot read " + log + ": " + e.getMessage(), e);
        }
        return actions;
    }

    private CleanAction append(String action, String file, String to, Integer undoes) {
        return append(new CleanAction(0, null, action, file, to, undoes));
    }

    // Logs `draft` with the next id and the time now.
    private CleanAction append(CleanAction draft) {
        List<CleanAction> all = history();
        int id = all.isEmpty() ? 1 : all.get(all.size() - 1).id() + 1;
        CleanAction a = new CleanAction(id, clock.instant().toString(), draft.action(), draft.file(), draft.to(),
                draft.undoes(), draft.csv(), draft.row(), draft.record(), draft.before(), draft.after());
        try (OutputStream out = Files.newOutputStream(log(), StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS)) {
            out.write((JSON.writeValueAsString(a) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new KodiakException("the file was moved but " + log() + " cannot be written: " + e.getMessage(), e);
        }
        return a;
    }

    // Reading through a link would show another file's lines (in error messages too); writing would write elsewhere.
    private static void requireNotALink(Path log) {
        if (Files.isSymbolicLink(log)) {
            throw new KodiakException(log + " is a symbolic link; the cleaner's log must be a real file inside the data"
                    + " folder (remove the link)");
        }
    }

    private static ApiError refused(String relative, String why) {
        return new ApiError(400, "refusing the path '" + relative + "': " + why);
    }

    /** {@code wanted}, or {@code name-1.ext}, {@code name-2.ext}, ...: the first that does not exist. */
    static Path freeName(Path wanted) {
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

    // A rename replaces an existing target on POSIX, so check first (under this object's lock).
    private static void moveWithoutOverwriting(Path from, Path to) throws IOException {
        if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(to.toString());
        }
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }
}
