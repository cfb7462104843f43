package dev.kodiak.learn;

import dev.kodiak.engine.Engine;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Builds small tensors from Java arrays and reads them back, for tests of the learner's parts. */
public final class TensorsForTests {
    private TensorsForTests() {
    }

    /** A float32 tensor of the given shape filled row-major with {@code values}. */
    public static Tensor floats(long[] shape, float... values) {
        Engine.init();
        Tensor t = torch.empty(shape);
        if (t.numel() != values.length) {
            throw new IllegalArgumentException("shape holds " + t.numel() + " values, got " + values.length);
        }
        t.data_ptr_float().put(values);
        return t;
    }

    /** A 1-D float32 tensor. */
    public static Tensor floats(float... values) {
        return floats(new long[] {values.length}, values);
    }

    /** A 1-D int64 tensor (class indices). */
    public static Tensor longs(long... values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = values[i];
        }
        return floats(f).to(torch.ScalarType.Long);
    }

    /** The values of a tensor as float32, row-major. */
    public static float[] values(Tensor t) {
        Tensor c = t.to(torch.ScalarType.Float).contiguous();
        float[] out = new float[(int) c.numel()];
        c.data_ptr_float().get(out);
        return out;
    }
}
