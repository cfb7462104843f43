package dev.kodiak.data;

import dev.kodiak.KodiakException;

/**
 * What a server lets one uploaded input be, for {@link InputKind#decodeUpload}: each kind applies the limits that
 * mean something for it (pixels for images, seconds for sound) and ignores the others.
 *
 * @param maxBytes   bytes of one upload
 * @param maxPixels  pixels of a decoded image
 * @param maxSeconds seconds of a decoded clip; 0 keeps the limit the model file records
 */
public record UploadLimits(long maxBytes, long maxPixels, double maxSeconds) {
    public UploadLimits {
        if (maxBytes <= 0 || maxPixels <= 0) {
            throw new KodiakException("upload limits must be positive, got " + maxBytes + " bytes and " + maxPixels
                    + " pixels");
        }
        if (!(maxSeconds >= 0) || Double.isInfinite(maxSeconds)) {
            throw new KodiakException("the limit of seconds per upload must be 0 (the model's) or positive and finite,"
                    + " got " + maxSeconds);
        }
    }
}
