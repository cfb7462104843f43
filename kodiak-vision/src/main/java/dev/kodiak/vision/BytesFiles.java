package dev.kodiak.vision;

import dev.kodiak.io.FolderFiles;

import java.nio.file.Path;
import java.util.List;

/** Finds the files of a dataset folder read as {@link BytesImage}s ({@code --input bytes}): every file, any name. */
public final class BytesFiles {
    private BytesFiles() {
    }

    /**
     * Every regular file under {@code dir} (links to regular files included), recursively, sorted by relative path;
     * hidden files and folders (such as {@code .quarantine/} and {@code .gather/}) are skipped.
     */
    public static List<Path> find(Path dir) {
        return FolderFiles.findAll(dir, "files");
    }
}
