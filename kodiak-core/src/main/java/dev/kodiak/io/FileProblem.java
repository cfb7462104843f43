package dev.kodiak.io;

import dev.kodiak.KodiakException;

/**
 * Why a file of a dataset cannot be used, as a {@link FileCheck} says it.
 *
 * @param reason the short code reports and the quarantine log show ({@code truncated}, {@code not-audio}, ...)
 * @param detail the problem in words, e.g. {@code the file ends after 1,204 bytes (truncated download?)}
 */
public record FileProblem(String reason, String detail) {
    public FileProblem {
        if (reason == null || reason.isBlank()) {
            throw new KodiakException("a file problem needs a reason code (e.g. truncated)");
        }
        detail = detail == null ? "" : detail;
    }
}
