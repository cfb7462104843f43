package dev.kodiak.vision;

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

/** Finds the image files of a dataset folder. */
public final class ImageFiles {
    /** The extensions {@link ImageDecoder} reads, lower case, without the dot. */
    public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif", "bmp", "webp");

    private ImageFiles() {
    }

    /**
     * Every image file under {@code dir}, recursively, sorted by path relative to {@code dir} (so the list is the
     * same on every machine and every run). Hidden files and folders (name starting with '.', such as the
     * {@code .quarantine/} folder {@code kodiak verify} fills) and files without an image extension are skipped.
     * Symbolic links to files are listed; links to folders are not followed (no cycles).
     */
    public static List<Path> find(Path dir) {
        if (!Files.exists(dir)) {
            throw new KodiakException("image folder " + dir + " does not exist (current folder: "
                    + Path.of("").toAbsolutePath() + ")");
        }
        if (!Files.isDirectory(dir)) {
            throw new KodiakException(dir + " is not a folder; pass the folder that holds the images (e.g. bears/)");
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
                    if (regular && !isHidden(file) && isImageName(file)) {
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
            throw new KodiakException("cannot list the images in " + dir + ": " + e, e);
        }
        // Compare relative paths component by component so "a/b.jpg" sorts the same on every file system.
        found.sort(Comparator.comparing((Path p) -> dir.relativize(p), ImageFiles::compareByComponents));
        return List.copyOf(found);
    }

    /** True when the file name ends in one of {@link #EXTENSIONS}, ignoring case. */
    public static boolean isImageName(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return false;
        }
        String s = name.toString();
        int dot = s.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(s.substring(dot + 1).toLowerCase(Locale.ROOT));
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
