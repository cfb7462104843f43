package dev.kodiak.io;

import dev.kodiak.KodiakException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Lists the files of a dataset folder whose extension is in a set, the same way for every kind of input (images,
 * sound): recursively, sorted by path relative to the folder component by component (the same list on every machine
 * and every run), skipping hidden files and folders (name starting with '.', such as {@code .quarantine/}).
 * Symbolic links to files are listed; links to folders are not followed (no cycles).
 */
public final class FolderFiles {
    private FolderFiles() {
    }

    /**
     * The files under {@code dir} whose lower-case extension is in {@code extensions}; {@code what} names them in
     * errors (e.g. {@code "sound files"}).
     */
    public static List<Path> find(Path dir, Set<String> extensions, String what) {
        return find(dir, file -> extensions.contains(extension(file)), what);
    }

    /**
     * Every file under {@code dir} whatever its name (hidden ones and hidden folders still skipped), for inputs that
     * read any file (such as {@code --input bytes}); {@code what} names them in errors.
     */
    public static List<Path> findAll(Path dir, String what) {
        return find(dir, file -> true, what);
    }

    private static List<Path> find(Path dir, Predicate<Path> accept, String what) {
        if (!Files.exists(dir)) {
            throw new KodiakException("folder " + dir + " with the " + what + " does not exist (current folder: "
                    + Path.of("").toAbsolutePath() + ")");
        }
        if (!Files.isDirectory(dir)) {
            throw new KodiakException(dir + " is not a folder; pass the folder that holds the " + what);
        }
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    return !d.equals(dir) && isHidden(d) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    boolean regular = attrs.isRegularFile() || attrs.isSymbolicLink() && Files.isRegularFile(file);
                    if (regular && !isHidden(file) && accept.test(file)) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // deleted while we walked: not an error
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new KodiakException("cannot list the " + what + " in " + dir + ": " + e, e);
        }
        found.sort(Comparator.comparing((Path p) -> dir.relativize(p), FolderFiles::compareByComponents));
        return List.copyOf(found);
    }

    /** The lower-case extension without the dot, or "" (also for names such as ".wav" that are all extension). */
    public static String extension(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return "";
        }
        String s = name.toString();
        int dot = s.lastIndexOf('.');
        return dot > 0 ? s.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    private static boolean isHidden(Path p) {
        Path name = p.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    private static int compareByComponents(Path a, Path b) {
        int n = Math.min(a.getNameCount(), b.getNameCount());
        for (int i = 0; i < n; i++) {
            int c = a.getName(i).toString().compareTo(b.getName(i).toString());
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.getNameCount(), b.getNameCount());
    }
}
