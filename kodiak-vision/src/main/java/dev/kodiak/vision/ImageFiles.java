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
import java.util.function.Predicate;

/** Finds the image files of a dataset folder. */
public final class ImageFiles {
    /** The extensions {@link ImageDecoder} reads, lower case, without the dot. */
    public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif", "bmp", "webp");
    /**
     * Extensions of image formats Kodiak does not read (TIFF, SVG, JPEG 2000, JPEG XL, HEIC/HEIF, AVIF, ICO, PSD), lower
     * case: {@link #find} leaves them out, and {@code kodiak verify} quarantines them as unsupported instead of
     * passing over them in silence. Other files (CSVs, text, READMEs) are neither.
     */
    public static final Set<String> UNSUPPORTED_EXTENSIONS = Set.of("tif", "tiff", "svg", "svgz", "jp2", "j2k", "jpf",
            "jpx", "jxl", "heic", "heif", "avif", "ico", "psd");

    private ImageFiles() {
    }

    /**
     * Every image file under {@code dir}, recursively, sorted by path relative to {@code dir} (so the list is the
     * same on every machine and every run). Hidden files and folders (name starting with '.', such as the
     * {@code .quarantine/} folder {@code kodiak verify} fills) and files without an image extension are skipped.
     * Symbolic links to files are listed; links to folders are not followed (no cycles).
     */
    public static List<Path> find(Path dir) {
        return find(dir, ImageFiles::isImageName);
    }

    /**
     * As {@link #find}, with the image files Kodiak cannot read as well ({@link #UNSUPPORTED_EXTENSIONS}): what
     * {@code kodiak verify} checks.
     */
    public static List<Path> findImageLike(Path dir) {
        return find(dir, f -> isImageName(f) || isUnsupportedImageName(f));
    }

    private static List<Path> find(Path dir, Predicate<Path> wanted) {
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
                    if (regular && !isHidden(file) && wanted.test(file)) {
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
        return EXTENSIONS.contains(extension(file));
    }

    /** True when the file name ends in one of {@link #UNSUPPORTED_EXTENSIONS}, ignoring case. */
    public static boolean isUnsupportedImageName(Path file) {
        return UNSUPPORTED_EXTENSIONS.contains(extension(file));
    }

    /** The lower-case extension without the dot, or "" (also for names such as ".jpg" that are all extension). */
    private static String extension(Path file) {
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
