package dev.kodiak.learn;

import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.learn.metrics.Predictions;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Gathers activated outputs, targets and per-item losses batch by batch into plain arrays. */
final class PredictionCollector {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final boolean classTargets;
    private float[] outputs = new float[1024];
    private float[] floatTargets = new float[1024];
    private long[] longTargets = new long[256];
    private float[] losses = new float[256];
    private int n;
    private int k = -1;

    PredictionCollector(boolean classTargets) {
        this.classTargets = classTargets;
    }

    void add(dev.kodiak.tensor.Tensor activatedOutputs, dev.kodiak.tensor.Tensor targetValues,
             dev.kodiak.tensor.Tensor perItemLosses) {
        Tensor activated = NativeTensors.unwrap(activatedOutputs);
        Tensor targets = NativeTensors.unwrap(targetValues);
        Tensor perItemLoss = NativeTensors.unwrap(perItemLosses);
        long[] shape = activated.shape();
        int b = (int) shape[0];
        int width = shape.length > 1 ? (int) shape[1] : 1;
        if (k < 0) {
            k = width;
        }
        outputs = grow(outputs, (n + b) * k);
        copy(activated, outputs, n * k, b * k);
        if (classTargets) {
            longTargets = grow(longTargets, n + b);
            Tensor t = targets.to(torch.ScalarType.Long).contiguous();
            ((LongBuffer) t.createBuffer()).get(longTargets, n, b);
        } else {
            floatTargets = grow(floatTargets, (n + b) * k);
            copy(targets, floatTargets, n * k, b * k);
        }
        losses = grow(losses, n + b);
        copy(perItemLoss, losses, n, b);
        n += b;
    }

    Predictions predictions() {
        int width = Math.max(k, 0);
        return new Predictions(n, width, Arrays.copyOf(outputs, n * width),
                classTargets ? Arrays.copyOf(longTargets, n) : null,
                classTargets ? null : Arrays.copyOf(floatTargets, n * width),
                Arrays.copyOf(losses, n));
    }

    private static void copy(Tensor t, float[] dest, int offset, int count) {
        Tensor c = t.to(torch.ScalarType.Float).contiguous();
        ((FloatBuffer) c.createBuffer()).get(dest, offset, count);
    }

    private static float[] grow(float[] a, int need) {
        return need <= a.length ? a : Arrays.copyOf(a, Math.max(need, a.length * 2));
    }

    private static long[] grow(long[] a, int need) {
        return need <= a.length ? a : Arrays.copyOf(a, Math.max(need, a.length * 2));
    }
}
