package dev.kodiak.learn.callbacks;

import dev.kodiak.KodiakException;
import dev.kodiak.learn.Callback;
import dev.kodiak.learn.Learner;
import dev.kodiak.tensor.Tensor;
import java.util.Arrays;

/**
 * fastai's CutMix (Yun et al., 2019): in each training batch a box covering about {@code 1 − λ} of the image, at a
 * random centre, is pasted into every image from a random partner of the batch ({@code λ ~ Beta(α, α)}, one box
 * per batch). The box is clipped to the image and λ recomputed as the share of each image's own pixels; the loss
 * blends the losses against the own and the partner's target with that λ. Validation is untouched. Add it with
 * {@code learn.addCallback(new CutMix(1.0))}; {@code kodiak train --cutmix 1.0}.
 *
 * <p>The draws come from a stream of the learner's seed, phase, epoch and batch ({@link Learner#seed()}).
 */
public final class CutMix implements Callback {
    /** Draws one batch's cut. */
    interface Drawer {
        Cut draw(Learner learn, int items, int width, int height);
    }

    private final double alpha;
    private final Drawer drawer;
    private CutBox box;           // this batch's box (its λ weighs the losses); null on validation batches
    private CutBox lastBox;
    private Tensor partnerTarget; // this batch's targets reordered like the partners

    /** CutMix with {@code λ ~ Beta(alpha, alpha)}; fastai uses 1.0 (the box's area uniform in [0, 1]). */
    public CutMix(double alpha) {
        this(checked(alpha), (learn, n, w, h) -> Cut.draw(Draws.forBatch(learn, "cutmix"), alpha, n, w, h));
    }

    /** For tests: the draws of each batch given, not random. */
    CutMix(double alpha, Drawer drawer) {
        this.alpha = alpha;
        this.drawer = drawer;
    }

    /** The α of the Beta distribution. */
    public double alpha() {
        return alpha;
    }

    @Override
    public void beforeBatch(Learner learn) {
        box = null;
        partnerTarget = null;
        if (!learn.training()) {
            return;
        }
        Tensor x = learn.input();
        long[] shape = x.shape();
        if (shape.length != 4) {
            throw new KodiakException("CutMix pastes boxes of images and needs batches of shape [items, channels, "
                    + "height, width], got " + Arrays.toString(shape) + ": use MixUp for other inputs");
        }
        int n = (int) shape[0];
        int height = (int) shape[2];
        int width = (int) shape[3];
        Cut cut = drawer.draw(learn, n, width, height);
        CutBox b = CutBox.around(width, height, cut.lambda(), cut.cx(), cut.cy());
        float[] inBox = new float[height * width];
        for (int y = b.y1(); y < b.y2(); y++) {
            Arrays.fill(inBox, y * width + b.x1(), y * width + b.x2(), 1f);
        }
        Tensor mask = Tensor.of(inBox, 1, 1, height, width).gt(0.5);
        Tensor partners = Tensor.of(cut.permutation(), n);
        // the partner's own pixels inside the box (copied, not blended), the item's outside it
        learn.setInput(x.indexSelect(0, partners).where(mask, x));
        partnerTarget = learn.target().indexSelect(0, partners);
        box = b;
        lastBox = b;
    }

    @Override
    public void afterLoss(Learner learn) {
        if (!learn.training() || box == null) {
            return;
        }
        Tensor pred = learn.prediction();
        Tensor own = learn.lossPerItem(pred, learn.target());
        Tensor partner = learn.lossPerItem(pred, partnerTarget);
        learn.setBatchLoss(partner.lerp(own, box.lambda()).mean());
    }

    @Override
    public void afterBatch(Learner learn) {
        partnerTarget = null; // freed with the batch's step
    }

    /** The last training batch's box (null before the first). */
    CutBox lastBox() {
        return lastBox;
    }

    static double checked(double alpha) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new KodiakException("CutMix's alpha must be a positive number (fastai uses 1.0), got " + alpha);
        }
        return alpha;
    }

    @Override
    public String toString() {
        return "CutMix(alpha=" + alpha + ")";
    }
}
