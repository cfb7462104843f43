package dev.kodiak.vision.transforms;

import dev.kodiak.engine.Tensors;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Tensor;

/** Tiny batches for the transform tests; call inside a StepScope. */
final class TestImages {
    private TestImages() {
    }

    static Tensor tensor(float[] data, long... shape) {
        return Tensor.create(data, shape);
    }

    /** Values in [0, 1), different at every position (so any flip or shift shows). */
    static Tensor random(long seed, long... shape) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] data = new float[(int) numel(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextDouble();
        }
        return tensor(data, shape);
    }

    static Tensor constant(float value, long... shape) {
        float[] data = new float[(int) numel(shape)];
        java.util.Arrays.fill(data, value);
        return tensor(data, shape);
    }

    /** A [1, 1, h, w] image, 0 everywhere but 1 at (row, col). */
    static Tensor dot(int h, int w, int row, int col) {
        float[] data = new float[h * w];
        data[row * w + col] = 1;
        return tensor(data, 1, 1, h, w);
    }

    /** Row-major NCHW values, whatever the tensor's memory layout. */
    /** The values in row-major order, whatever the layout. */
    static float[] floats(Tensor t) {
        return Tensors.toFloats(t);
    }

    /** Index of the largest value in a flat array. */
    static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    static float min(float[] values) {
        float m = Float.POSITIVE_INFINITY;
        for (float v : values) {
            m = Math.min(m, v);
        }
        return m;
    }

    static float max(float[] values) {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    static long count(float[] values, float above) {
        long n = 0;
        for (float v : values) {
            if (v > above) {
                n++;
            }
        }
        return n;
    }

    private static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }
}
