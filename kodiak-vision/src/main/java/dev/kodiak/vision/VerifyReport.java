package dev.kodiak.vision;

import dev.kodiak.vision.ImageDecodeException.Reason;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@link Verifier#verify} found in a dataset folder.
 *
 * @param dir      the folder checked
 * @param checked  image files decoded
 * @param ok       the ones that decoded
 * @param failures the ones that did not, in path order
 * @param skipped  files left alone, neither decoded nor moved: symbolic links to files outside {@code dir}
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
     * An image that does not decode.
     *
     * @param file          where it was found
     * @param reason        the kind of problem
     * @param message       the problem in words, e.g. {@code the file ends after 1,204 bytes (truncated download?)}
     * @param quarantinedTo where it was moved, or null in a dry run
     */
    public record Failure(Path file, Reason reason, String message, Path quarantinedTo) {
        /** The reason as written in JSON and in the quarantine log: {@code truncated}, {@code zero_bytes}, ... */
        public String reasonCode() {
            return code(reason);
        }

        public Optional<Path> quarantined() {
            return Optional.ofNullable(quarantinedTo);
        }
    }

    /** {@code reason} in lower case, as the CLI's JSON writes it. */
    public static String code(Reason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }
}
