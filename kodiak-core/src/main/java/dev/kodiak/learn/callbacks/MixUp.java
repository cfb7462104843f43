package dev.kodiak.learn.callbacks;

import dev.kodiak.KodiakException;
import dev.kodiak.learn.Callback;
import dev.kodiak.learn.Learner;
import dev.kodiak.tensor.Tensor;
import java.util.function.BiFunction;

/**
 * fastai's MixUp (Zhang et al., 2018): each training item is blended with a random partner of its batch,
 * {@code x = λ·x + (1 − λ)·x_partner} with {@code λ ~ Beta(α, α)} per item kept at {@code max(λ, 1 − λ)}, and the
 * loss is the same blend of the item's losses against its own and its partner's target. Validation is untouched.
 * Add it with {@code learn.addCallback(new MixUp(0.4))}; {@code kodiak train --mixup 0.4}.
 *
 * <p>The draws come from a stream of the learner's seed, phase, epoch and batch ({@link Learner#seed()}), so a run
 * repeats and a resumed run mixes as the uninterrupted one would have.
 */
public final class MixUp implements Callback {
    private final double alpha;
    private final BiFunction<Learner, Integer, Mixing> draw;
    private Tensor lambdas;      // this batch's λ per item
    private Tensor partnerTarget; // this batch's targets reordered like the partners

    /** MixUp with {@code λ ~ Beta(alpha, alpha)}; fastai uses 0.4 (smaller: milder blends). */
    public MixUp(double alpha) {
        this(checked(alpha), (learn, n) -> Mixing.draw(Draws.forBatch(learn, "mixup"), alpha, n));
    }

    /** For tests: the draws of each batch given, not random. */
    MixUp(double alpha, BiFunction<Learner, Integer, Mixing> draw) {
        this.alpha = alpha;
        this.draw = draw;
    }

    /** The α of the Beta distribution. */
    public double alpha() {
        return alpha;
    }

    @Override
    public void beforeBatch(Learner learn) {
        lambdas = null;
        partnerTarget = null;
        if (!learn.training()) {
            return;
        }
        Tensor x = learn.input();
        int n = (int) x.size(0);
        Mixing m = draw.apply(learn, n);
        if (m.lambdas().length != n) {
            throw new KodiakException("MixUp drew " + m.lambdas().length + " lambdas for a batch of " + n + " items");
        }
        Tensor partners = Tensor.of(m.permutation(), n);
        lambdas = Tensor.of(m.lambdas(), n);
        long[] perItem = new long[x.dim()]; // [n, 1, 1, ...]: one λ broadcast over each item's values
        java.util.Arrays.fill(perItem, 1);
        perItem[0] = n;
        // lerp(partner, own, λ) = partner + λ·(own − partner) = λ·own + (1 − λ)·partner
        learn.setInput(x.indexSelect(0, partners).lerp(x, lambdas.reshape(perItem).to(x.dtype())));
        partnerTarget = learn.target().indexSelect(0, partners);
    }

    @Override
    public void afterLoss(Learner learn) {
        if (!learn.training() || lambdas == null) {
            return;
        }
        Tensor pred = learn.prediction();
        Tensor own = learn.lossPerItem(pred, learn.target());
        Tensor partner = learn.lossPerItem(pred, partnerTarget);
        learn.setBatchLoss(partner.lerp(own, lambdas).mean());
    }

    @Override
    public void afterBatch(Learner learn) {
        lambdas = null; // freed with the batch's step
        partnerTarget = null;
    }

    static double checked(double alpha) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new KodiakException("MixUp's alpha must be a positive number (fastai uses 0.4), got " + alpha);
        }
        return alpha;
    }

    @Override
    public String toString() {
        return "MixUp(alpha=" + alpha + ")";
    }
}
