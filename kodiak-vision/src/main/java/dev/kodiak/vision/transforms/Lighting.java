package dev.kodiak.vision.transforms;

import dev.kodiak.engine.Engine;
import dev.kodiak.engine.StepScope;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;

/**
 * Internal: the lighting half of {@link Augment}. Works in logit space, as fastai does, so that results stay
 * inside 0..1 without hard clipping and dark or bright regions saturate smoothly:
 * {@code y = sigmoid((logit(x) + logit(brightness)) * contrast)}. Items whose lighting is unchanged keep their
 * exact input values.
 */
final class Lighting {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    /** Keeps logit finite at 0 and 1 (fastai clamps with the same margin). */
    static final double EPS = 1e-7;

    private Lighting() {
    }

    /**
     * Changes the lighting of {@code x}'s items in place. Works on runs of consecutive changed items (at most a
     * {@link ItemChunks chunk} each), four in-place passes per run; unchanged items are never touched, so they keep
     * their exact values without a copy or a select pass.
     */
    static Tensor apply(Tensor x, List<ItemAugmentation> items) {
        int batch = items.size();
        boolean[] changed = new boolean[batch];
        float[] shift = new float[batch];
        float[] factor = new float[batch];
        for (int i = 0; i < batch; i++) {
            ItemAugmentation item = items.get(i);
            changed[i] = item.changesLighting();
            shift[i] = (float) logit(item.brightness());
            factor[i] = (float) item.contrast();
        }
        int per = ItemChunks.itemsPer(x);
        for (int start = 0; start < batch; ) {
            if (!changed[start]) {
                start++;
                continue;
            }
            int end = start + 1;
            while (end < batch && changed[end] && end - start < per) {
                end++;
            }
            try (StepScope runScope = StepScope.open()) {
                Tensor run = x.narrow(0, start, end - start);
                Tensor shifts = perItem(x, Arrays.copyOfRange(shift, start, end));
                Tensor factors = perItem(x, Arrays.copyOfRange(factor, start, end));
                run.logit_(new DoubleOptional(EPS)).add_(shifts).mul_(factors).sigmoid_();
            }
            start = end;
        }
        return x;
    }

    /** One value per item as a [n, 1, 1, 1] tensor on x's device, to broadcast over each item's pixels. */
    private static Tensor perItem(Tensor x, float[] values) {
        return AffineWarp.onDeviceOf(x, Tensor.create(values, values.length, 1, 1, 1));
    }

    static double logit(double p) {
        return Math.log(p / (1 - p));
    }
}
