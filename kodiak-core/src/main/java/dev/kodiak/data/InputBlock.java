package dev.kodiak.data;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * How the input side of a dataset turns an item (a file) into pixels-or-whatever and back into something a
 * person can look at. Core knows no image formats: {@code ImageBlock} in kodiak-vision implements this.
 *
 * @param <X> the decoded item type (for images {@code RgbImage}), the type item transforms work on
 */
public interface InputBlock<X> {
    /** Reads and decodes one item; a failure is a {@code KodiakException} naming the file and what is wrong. */
    X load(Path item);

    /** Channels of every sample (3 for RGB). */
    int channels();

    /** {height, width} of a decoded, transformed sample; all samples of a batch must agree. */
    int[] size(X sample);

    /** Writes the sample as 8-bit height × width × channels values at {@code dest}'s position (advancing it). */
    void writeHwc(X sample, ByteBuffer dest);

    /** The inverse for display: a sample from values in 0..1, laid out channels × height × width. */
    X fromChw(float[] chw, int height, int width);

    /** Draws samples in a grid with a caption above each and writes a PNG. */
    void drawGrid(List<X> samples, List<String> captions, int columns, Path png);

    /**
     * Memory a decoded sample holds, in bytes, for the loaders' cache of decoded items; negative when unknown
     * (such samples are decoded again every epoch).
     */
    default long bytes(X sample) {
        return -1;
    }

    /** A short description of the sample for summaries, e.g. {@code RgbImage 500x375}. */
    default String describe(X sample) {
        return String.valueOf(sample);
    }
}
