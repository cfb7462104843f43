package dev.kodiak.io;

import dev.kodiak.KodiakException;

import java.nio.file.Path;
import java.time.Instant;

/**
 * One file in a dataset's quarantine: where it is now, where it came from, why it was moved, by what, and when.
 * Paths are absolute; {@code quarantine.csv} stores them relative to the dataset folder so the folder can move.
 *
 * @param file         the file inside {@code DIR/.quarantine/}
 * @param originalPath where it was in the dataset (where {@link Quarantine#restore} puts it back)
 * @param reason       why, in words, e.g. {@code truncated: the file ends after 1,204 bytes}
 * @param by           what moved it, e.g. {@code verify}, {@code gather}, {@code clean}
 * @param time         when
 */
public record QuarantineEntry(Path file, Path originalPath, String reason, String by, Instant time) {
    public QuarantineEntry {
        if (file == null || originalPath == null || time == null) {
            throw new KodiakException("a quarantine entry needs a file, an original path and a time");
        }
        reason = reason == null ? "" : reason;
        by = by == null ? "" : by;
    }
}
