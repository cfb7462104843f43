package dev.kodiak.vision;

import dev.kodiak.KodiakException;
import dev.kodiak.io.FolderFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
    /** What {@code kodiak verify} checks: the readable and the unreadable image extensions. */
    private static final Set<String> IMAGE_LIKE = union(EXTENSIONS, UNSUPPORTED_EXTENSIONS);

    private ImageFiles() {
    }

    /**
     * Every image file under {@code dir}, recursively, sorted by path relative to {@code dir} (so the list is the
     * same on every machine and every run). Hidden files and folders (name starting with '.', such as the
     * {@code .quarantine/} folder {@code kodiak verify} fills) and files without an image extension are skipped.
     * Symbolic links to files are listed; links to folders are not followed (no cycles).
     */
    public static List<Path> find(Path dir) {
        return find(dir, EXTENSIONS);
    }

    /**
     * As {@link #find}, with the image files Kodiak cannot read as well ({@link #UNSUPPORTED_EXTENSIONS}): what
     * {@code kodiak verify} checks.
     */
    public static List<Path> findImageLike(Path dir) {
        return find(dir, IMAGE_LIKE);
    }

    private static List<Path> find(Path dir, Set<String> extensions) {
        // the image wording of these two errors predates FolderFiles; the walk itself is the shared one
        if (!Files.exists(dir)) {
            throw new KodiakException("image folder " + dir + " does not exist (current folder: "
                    + Path.of("").toAbsolutePath() + ")");
        }
        if (!Files.isDirectory(dir)) {
            throw new KodiakException(dir + " is not a folder; pass the folder that holds the images (e.g. bears/)");
        }
        return FolderFiles.find(dir, extensions, "images");
    }

    /** True when the file name ends in one of {@link #EXTENSIONS}, ignoring case. */
    public static boolean isImageName(Path file) {
        return EXTENSIONS.contains(FolderFiles.extension(file));
    }

    /** True when the file name ends in one of {@link #UNSUPPORTED_EXTENSIONS}, ignoring case. */
    public static boolean isUnsupportedImageName(Path file) {
        return UNSUPPORTED_EXTENSIONS.contains(FolderFiles.extension(file));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
