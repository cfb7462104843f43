package dev.kodiak.models;

import dev.kodiak.KodiakException;

/**
 * One file of the weights cache as its index records it.
 *
 * @param name         the name it is found by ({@code resnet34}, or the name given to {@code weights import})
 * @param file         the file name inside the cache directory
 * @param sha256       the full SHA-256 of the file, computed when it was verified
 * @param size         its size in bytes
 * @param source       where it came from: a URL, or "imported from PATH"
 * @param architecture the architecture it fits
 * @param verifiedAt   when the hash was checked (ISO-8601 instant)
 */
public record CachedWeights(String name, String file, String sha256, long size, String source, String architecture,
        String verifiedAt) {
    public CachedWeights {
        if (name == null || name.isBlank() || file == null || file.contains("/") || file.contains("\\")
                || file.startsWith(".") || sha256 == null || sha256.length() != 64) {
            throw new KodiakException("invalid weights cache index entry for '" + name + "' (file " + file + ")");
        }
    }
}
