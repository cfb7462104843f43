package dev.kodiak.data;

import dev.kodiak.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How the input side of a dataset turns an item (a file) into pixels-or-whatever and back into something a
 * person can look at. Core knows no image formats: {@code ImageBlock} in kodiak-vision implements this.
 *
 * <p>From item to model input: {@link #load}, the item transforms, then the samples of a batch are written into one
 * tensor [B, C, H, W] (8-bit pixels scaled to 0..1 by default, or float values when {@link #floatSamples()}), then
 * {@link #encode} runs on the whole batch on the engine (identity for images; waveforms become spectrograms for
 * sound), then the batch transforms.
 *
 * @param <X> the decoded item type (for images {@code RgbImage}), the type item transforms work on
 */
public interface InputBlock<X> {
    /** Reads and decodes one item; a failure is a {@code KodiakException} naming the file and what is wrong. */
    X load(Path item);

    /** The input kind model files record ({@code image}, {@code audio}): {@link InputKinds} finds its reader by it. */
    default String kind() {
        return "image";
    }

    /**
     * Settings of this block a model file must record to re-create it ({@code input.parameters}); null when the
     * item transforms say everything (images).
     */
    default java.util.Map<String, Object> parameters() {
        return null;
    }

    /**
     * {height, width} of every encoded sample when the block itself fixes it (a spectrogram's mels and frames);
     * null when the item transforms decide it (images: the resize).
     */
    default int[] encodedSize() {
        return null;
    }

    /** Channels of every sample (3 for RGB). */
    int channels();

    /** {height, width} of a decoded, transformed sample; all samples of a batch must agree. */
    int[] size(X sample);

    /** Writes the sample as 8-bit height × width × channels values at {@code dest}'s position (advancing it). */
    void writeHwc(X sample, ByteBuffer dest);

    /**
     * True when samples are written as float32 values by {@link #writeFloats} (e.g. waveforms, which 8 bits cannot
     * hold) instead of 8-bit pixels by {@link #writeHwc}.
     */
    default boolean floatSamples() {
        return false;
    }

    /**
     * Writes the sample as float32 values laid out channels × height × width at {@code dest}'s position (advancing
     * it); used when {@link #floatSamples()}. The batch tensor holds these values as they are.
     */
    default void writeFloats(X sample, FloatBuffer dest) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " writes 8-bit samples (writeHwc)");
    }

    /**
     * Turns the collated batch [B, C, H, W] into what the model and the batch transforms see, on the batch's device;
     * the identity by default. Runs on loader threads, several batches at once: keep no state between calls.
     *
     * @param raw      the collated batch: 0..1 pixels, or the values {@link #writeFloats} wrote
     * @param rng      the stream for this batch (draw per-item parameters in item order)
     * @param training false for validation, test and prediction: no random changes
     */
    default Tensor encode(Tensor raw, Rng rng, boolean training) {
        return raw;
    }

    /** The inverse for display: a sample from values in 0..1, laid out channels × height × width. */
    X fromChw(float[] chw, int height, int width);

    /** Draws samples in a grid with a caption above each and writes a PNG. */
    void drawGrid(List<X> samples, List<String> captions, int columns, Path png);

    /**
     * Draws encoded samples (what {@link #encode} made, batch transforms undone) in a grid with a caption above
     * each. By default each sample becomes an item again ({@link #fromChw} of the values clamped to 0..1) for
     * {@link #drawGrid}; a block whose encoding cannot be undone (a spectrogram is no clip) draws the values itself.
     *
     * @param chw      one array of channels × height × width values per sample
     * @param items    the files the samples came from (same order), for captions that need them (durations)
     */
    default void drawEncoded(List<float[]> chw, int height, int width, List<Path> items, List<String> captions,
                             int columns, Path png) {
        List<X> samples = new ArrayList<>(chw.size());
        for (float[] values : chw) {
            float[] clamped = Arrays.copyOf(values, values.length);
            for (int i = 0; i < clamped.length; i++) {
                clamped[i] = Math.min(1f, Math.max(0f, clamped[i]));
            }
            samples.add(fromChw(clamped, height, width));
        }
        drawGrid(samples, captions, columns, png);
    }

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
