package dev.kodiak.io;

import java.nio.file.Path;
import java.util.List;

/**
 * One kind of input's check for {@link Verifier}: which files of a dataset folder it looks at, and whether one of
 * them is usable. Vision plugs in images, audio plugs in sound; the verifier, the report and the {@link Quarantine}
 * know no file formats. Implementations must be thread-safe: the verifier checks files on several threads.
 */
public interface FileCheck {
    /** The files this check looks at, in words, plural ({@code "images"}, {@code "sound files"}). */
    String what();

    /** The files under {@code dir} this check looks at (hidden folders such as {@code .quarantine/} skipped). */
    List<Path> find(Path dir);

    /**
     * Reads {@code file} fully; null when it is usable, else the problem.
     *
     * @param file the file as found
     * @param real its real path inside the dataset folder (links resolved), which is what must be read
     */
    FileProblem check(Path file, Path real);
}
