package dev.kodiak.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@link Verifier#verify} found in a dataset folder.
 *
 * @param dir      the folder checked
 * @param checked  files read (images, sound files, ...)
 * @param ok       the ones that are usable
 * @param failures the ones that are not, in path order
 * @param skipped  files left alone, neither read nor moved: symbolic links to files outside {@code dir}
 * @param dryRun   true when nothing was moved
 */
public record VerifyReport(Path dir, int checked, int ok, List<Failure> failures, List<Skipped> skipped,
                           boolean dryRun) {
    public VerifyReport {
        failures = List.copyOf(failures);
        skipped = List.copyOf(skipped);
    }

    /** A report with nothing skipped. */
    public VerifyReport(Path dir, int checked, int ok, List<Failure> failures, boolean dryRun) {
        this(dir, checked, ok, failures, List.of(), dryRun);
    }

    /**
     * A file verify did not touch, and why.
     *
     * @param file where it was found
     * @param why  in words, e.g. {@code it is a symbolic link to /srv/pool/1.jpg, outside the dataset folder}
     */
    public record Skipped(Path file, String why) {
    }

    /**
     * A file that cannot be used.
     *
     * @param file          where it was found
     * @param reasonCode    the kind of problem as JSON and the quarantine log write it: {@code truncated},
     *                      {@code zero_bytes}, {@code not-audio}, ...
     * @param message       the problem in words, e.g. {@code the file ends after 1,204 bytes (truncated download?)}
     * @param quarantinedTo where it was moved, or null in a dry run
     */
    public record Failure(Path file, String reasonCode, String message, Path quarantinedTo) {
        public Optional<Path> quarantined() {
            return Optional.ofNullable(quarantinedTo);
        }
    }
}
