package dev.kodiak.vision.transforms;

import java.util.List;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Internal: the lighting half of {@link Augment}. Works in logit space, as fastai does, so that results stay
 * inside 0..1 without hard clipping and dark or bright regions saturate smoothly:
 * {@code y = sigmoid((logit(x) + logit(brightness)) * contrast)}. Items whose lighting is unchanged keep their
 * exact input values.
 */
final class Lighting {
    /** Keeps logit finite at 0 and 1 (fastai clamps with the same margin). */
    static final double EPS = 1e-7;

    private Lighting() {
    }

    static Tensor apply(Tensor x, List<ItemAugmentation> items) {
        int batch = items.size();
        boolean[] changed = new boolean[batch];
        float[] shift = new float[batch];
        float[] factor = new float[batch];
        boolean any = false;
        for (int i = 0; i < batch; i++) {
            ItemAugmentation item = items.get(i);
            changed[i] = item.changesLighting();
            shift[i] = (float) logit(item.brightness());
            factor[i] = (float) item.contrast();
            any |= changed[i];
        }
        if (!any) {
            return x;
        }
        Tensor shifts = AffineWarp.onDeviceOf(x, Tensor.create(shift, batch, 1, 1, 1));
        Tensor factors = AffineWarp.onDeviceOf(x, Tensor.create(factor, batch, 1, 1, 1));
        Tensor lit = x.logit(new DoubleOptional(EPS));
        lit.add_(shifts).mul_(factors).sigmoid_();
        if (!allTrue(changed)) {
            // unchanged items take their input back, written over lit: no second batch-sized tensor
            torch.where_out(lit, AffineWarp.itemMask(changed, x), lit, x);
        }
        return lit; // the owning object: where_out returns a second one that owns nothing
    }

    private static boolean allTrue(boolean[] values) {
        for (boolean v : values) {
            if (!v) {
                return false;
            }
        }
        return true;
    }

    static double logit(double p) {
        return Math.log(p / (1 - p));
    }
}
