package dev.kodiak.vision;

import dev.kodiak.KodiakException;

/**
 * What {@link ImageDecoder} refuses to decode, so that a hostile or broken file from the web cannot exhaust memory.
 *
 * @param maxPixels    width × height read from the file's header, checked before any pixel is decoded
 *                     (a small PNG can claim 60000x60000: a "decompression bomb")
 * @param maxFileBytes the largest file read at all
 */
public record DecodeLimits(long maxPixels, long maxFileBytes) {
    /** 100 megapixels (PIL's bomb check works at the same order, 89 MP) and 200 MB per file. */
    public static final DecodeLimits DEFAULT = new DecodeLimits(100_000_000L, 200L * 1024 * 1024);

    public DecodeLimits {
        if (maxPixels <= 0) {
            throw new KodiakException("maxPixels must be positive, got " + maxPixels);
        }
        if (maxFileBytes <= 0 || maxFileBytes > Integer.MAX_VALUE - 16) {
            throw new KodiakException("maxFileBytes must be between 1 and " + (Integer.MAX_VALUE - 16)
                    + " (files are read into one array), got " + maxFileBytes);
        }
    }

    public DecodeLimits withMaxPixels(long pixels) {
        return new DecodeLimits(pixels, maxFileBytes);
    }

    public DecodeLimits withMaxFileBytes(long bytes) {
        return new DecodeLimits(maxPixels, bytes);
    }
}
