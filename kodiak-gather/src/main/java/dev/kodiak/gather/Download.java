package dev.kodiak.gather;

import dev.kodiak.vision.ImageFormat;

import java.nio.file.Path;

/** What fetching one search result gave: a checked image waiting in a temporary file, or a rejection. */
public sealed interface Download {
    /** The search result this is about. */
    SearchResult source();

    /**
     * A real, fully decoded image.
     *
     * @param temp   where its bytes wait (inside the gather's partial-download folder) until kept or dropped
     * @param sha256 of the bytes, lower-case hex
     * @param dHash  its {@link PerceptualHash}
     */
    record Image(SearchResult source, Path temp, ImageFormat format, String sha256, long dHash, int width, int height)
            implements Download {
    }

    /** Not kept, and why. */
    record Rejected(SearchResult source, RejectReason reason, String message) implements Download {
    }
}
