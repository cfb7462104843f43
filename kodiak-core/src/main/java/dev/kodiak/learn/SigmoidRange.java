package dev.kodiak.learn;

import dev.kodiak.KodiakException;
import dev.kodiak.tensor.Tensor;
import java.util.List;

/**
 * fastai's {@code sigmoid_range} over a regression's outputs {@code [B, k]}: output {@code j} becomes
 * {@code lo_j + (hi_j − lo_j)·sigmoid(x_j)}, with one {@link YRange} for every output or one per output. The loss, the
 * decoder of a trained model and the ONNX graph all squash with these numbers, so they agree.
 */
public final class SigmoidRange {
    private final float[] lows;
    private final float[] spans;

    private SigmoidRange(float[] lows, float[] spans) {
        this.lows = lows;
        this.spans = spans;
    }

    /** The squashing of {@code outputs} outputs by {@code ranges} (one range for all, or one per output). */
    public static SigmoidRange of(List<YRange> ranges, int outputs) {
        if (ranges.isEmpty() || ranges.size() != 1 && ranges.size() != outputs) {
            throw new KodiakException("a y-range is one LO,HI pair for every output or one per output (" + outputs
                    + "), got " + ranges.size() + " pairs");
        }
        float[] lows = new float[outputs];
        float[] spans = new float[outputs];
        for (int j = 0; j < outputs; j++) {
            YRange r = ranges.get(ranges.size() == 1 ? 0 : j);
            lows[j] = (float) r.lo();
            spans[j] = (float) (r.hi() - r.lo());
        }
        return new SigmoidRange(lows, spans);
    }

    /** {@code lo_j} of each output. */
    public float[] lows() {
        return lows.clone();
    }

    /** {@code hi_j − lo_j} of each output. */
    public float[] spans() {
        return spans.clone();
    }

    /** The squashed outputs, float32 {@code [B, k]}. */
    public Tensor apply(Tensor output) {
        Tensor s = output.toFloat().sigmoid();
        if (uniform()) { // the common case: scalars, no broadcast tensors to build
            return s.mul(spans[0]).add(lows[0]);
        }
        return s.mul(Tensor.of(spans, 1, spans.length)).add(Tensor.of(lows, 1, lows.length));
    }

    private boolean uniform() {
        for (int j = 1; j < lows.length; j++) {
            if (lows[j] != lows[0] || spans[j] != spans[0]) {
                return false;
            }
        }
        return true;
    }
}
