package dev.kodiak.learn;

import dev.kodiak.data.DataLoader;
import dev.kodiak.learn.metrics.Predictions;

/**
 * fastai's {@code tta}: the average of {@code n} passes through the training augmentations, blended with the
 * plain prediction: {@code (1 - beta) * mean(augmented) + beta * plain}.
 */
final class TestTimeAugmentation {
    private TestTimeAugmentation() {
    }

    static Predictions run(Learner learn, DataLoader<?> dl, int n, double beta) {
        if (n < 1 || beta < 0 || beta > 1) {
            throw new dev.kodiak.KodiakException("tta needs n >= 1 and 0 <= beta <= 1, got n=" + n + ", beta=" + beta);
        }
        Predictions plain = learn.getPreds(dl);
        float[] sum = new float[plain.outputs().length];
        for (int pass = 0; pass < n; pass++) {
            Predictions aug = learn.getPreds(dl.augmented(1_000_003L * (pass + 1)));
            float[] o = aug.outputs();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += o[i];
            }
        }
        float[] blended = new float[sum.length];
        float[] p = plain.outputs();
        for (int i = 0; i < sum.length; i++) {
            blended[i] = (float) ((1 - beta) * (sum[i] / n) + beta * p[i]);
        }
        return new Predictions(plain.n(), plain.k(), blended, plain.classTargets(), plain.targets(),
                lossesOf(plain, blended));
    }

    /** Per-item loss of blended probabilities for single-label targets (-log p of the true class), else null. */
    private static float[] lossesOf(Predictions plain, float[] probs) {
        if (plain.classTargets() == null) {
            return null;
        }
        float[] losses = new float[plain.n()];
        for (int i = 0; i < plain.n(); i++) {
            double pTrue = probs[i * plain.k() + (int) plain.classTargets()[i]];
            losses[i] = (float) -Math.log(Math.max(pTrue, 1e-12));
        }
        return losses;
    }
}
