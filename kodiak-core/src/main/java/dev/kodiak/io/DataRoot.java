package dev.kodiak.io;

import dev.kodiak.KodiakException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A data folder that every path Kodiak reads or writes on the user's behalf must stay inside. Paths from outside
 * text (a browser, a hand-editable log, a model's manifest) are resolved as the operating system would: every
 * symbolic link on the way is followed, so {@code DIR/evil/key} with {@code DIR/evil -> /home/me/.ssh} is refused
 * even though it looks as if it were inside {@code DIR}.
 *
 * <p>A resolved path is what the caller must act on: its existing part has no links left (real path), and the part
 * that does not exist yet holds no {@code ..}. (Someone who can change the folder while Kodiak works can still race
 * it; this guards against crafted files and links, not a concurrent attacker.)
 */
public final class DataRoot {
    private final Path root;

    private DataRoot(Path root) {
        this.root = root;
    }

    /** The data folder {@code dir}, which must exist; its own real path becomes the root. */
    public static DataRoot of(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new KodiakException("data folder " + dir + " does not exist or is not a folder");
        }
        try {
            return new DataRoot(dir.toRealPath());
        } catch (IOException e) {
            throw new KodiakException("cannot resolve data folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The folder's real, absolute path. */
    public Path path() {
        return root;
    }

    /**
     * The real path of {@code path} (relative to the root, or absolute), following every link including the last
     * one: use it to read or write the file's content.
     *
     * @throws OutsideDataRootException when it resolves outside the root (or to the root itself), or a link on the
     *                                  way leads nowhere
     */
    public Path resolve(Path path) {
        return walk(path, true);
    }

    /** As {@link #resolve(Path)} for a relative path with {@code /} separators (as logs and manifests store them). */
    public Path resolve(String relative) {
        return resolve(parse(relative));
    }

    /**
     * The directory entry {@code path} names: every folder on the way followed to its real path, the last name itself
     * not followed. Use it to move, rename or create the entry (moving a link moves the link, not its target).
     *
     * @throws OutsideDataRootException when its folder resolves outside the root, or the entry is the root itself
     */
    public Path resolveEntry(Path path) {
        return walk(path, false);
    }

    /** As {@link #resolveEntry(Path)} for a relative path with {@code /} separators. */
    public Path resolveEntry(String relative) {
        return resolveEntry(parse(relative));
    }

    /** True when {@link #resolve(Path)} would accept {@code path}. */
    public boolean contains(Path path) {
        try {
            resolve(path);
            return true;
        } catch (OutsideDataRootException e) {
            return false;
        }
    }

    /** {@code inside} (a path this root resolved) relative to the root, with {@code /} separators. */
    public String relative(Path inside) {
        Path rel = root.relativize(inside);
        return rel.toString().replace(rel.getFileSystem().getSeparator(), "/");
    }

    private Path parse(String relative) {
        if (relative == null || relative.isBlank() || relative.indexOf('\0') >= 0) {
            throw new OutsideDataRootException(String.valueOf(relative), root, "it is empty or holds a NUL character");
        }
        return root.getFileSystem().getPath(relative.replace("/", root.getFileSystem().getSeparator()));
    }

    // Lexically normalized first (callers act on what they were given, without "..": see the class comment), then the
    // longest part that exists is replaced by its real path and the rest appended.
    private Path walk(Path path, boolean followLast) {
        if (path == null) {
            throw new OutsideDataRootException("null", root, "no path given");
        }
        Path absolute = (path.isAbsolute() ? path : root.resolve(path)).normalize();
        if (absolute.getFileName() == null) {
            throw new OutsideDataRootException(path.toString(), root, "it is not inside the data folder");
        }
        Path existing = absolute;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        Path resolved;
        try {
            if (existing == null) {
                resolved = absolute;
            } else if (existing.equals(absolute) && !followLast) {
                resolved = absolute.getParent().toRealPath().resolve(absolute.getFileName().toString());
            } else {
                resolved = existing.toRealPath().resolve(existing.relativize(absolute));
            }
        } catch (IOException e) {
            throw new OutsideDataRootException(path.toString(), root,
                    "a link on the way leads nowhere or in a circle (" + e.getMessage() + ")");
        }
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw new OutsideDataRootException(path.toString(), root, "it resolves to " + resolved
                    + (resolved.equals(root) ? ", the data folder itself" : ", outside the data folder")
                    + (resolved.equals(absolute) ? "" : " (through a symbolic link)"));
        }
        return resolved;
    }
}
