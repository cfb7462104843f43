package dev.kodiak.vision.export;

import dev.kodiak.KodiakException;

/**
 * How {@link OnnxExport} writes a model.
 *
 * @param opset             the ONNX operator set, {@value #MIN_OPSET} to {@value #MAX_OPSET}; the default
 *                          {@value #DEFAULT_OPSET} (IR version 8) is the newest Debian's onnx 1.12 reads, and ONNX
 *                          Runtime has run it since 1.12
 * @param withPreprocessing the graph takes {@code uint8 [N, H, W, 3]} RGB pixels at the model's input size and
 *                          scales and normalizes them itself; without, it takes normalized {@code float32 [N, 3, H, W]}
 */
public record OnnxOptions(int opset, boolean withPreprocessing) {
    /** The default operator set. */
    public static final int DEFAULT_OPSET = 17;
    /** The oldest operator set the graph can be written in (Softmax over one axis arrived in 13). */
    public static final int MIN_OPSET = 13;
    /** The newest operator set Kodiak knows the IR version of. */
    public static final int MAX_OPSET = 21;

    public OnnxOptions {
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new KodiakException("--opset must be between " + MIN_OPSET + " and " + MAX_OPSET + ", got " + opset
                    + " (" + DEFAULT_OPSET + ", the default, is what Debian's onnx 1.12 reads)");
        }
    }

    /** Opset {@value #DEFAULT_OPSET}, normalized float input. */
    public static OnnxOptions defaults() {
        return new OnnxOptions(DEFAULT_OPSET, false);
    }

    /** These options with another operator set. */
    public OnnxOptions opset(int newOpset) {
        return new OnnxOptions(newOpset, withPreprocessing);
    }

    /** These options with or without the preprocessing in the graph. */
    public OnnxOptions withPreprocessing(boolean on) {
        return new OnnxOptions(opset, on);
    }

    /**
     * The ONNX IR version that goes with the operator set (ONNX's versioning table): 7 for 13-14, 8 for 15-18, 9 for
     * 19-20, 10 for 21. Readers refuse a file whose IR version is newer than theirs.
     */
    public long irVersion() {
        if (opset <= 14) {
            return 7;
        }
        return opset <= 18 ? 8 : opset <= 20 ? 9 : 10;
    }
}
