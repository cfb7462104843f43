package dev.kodiak.examples;

import dev.kodiak.data.DataLoaders;
import dev.kodiak.learn.EpochResult;
import dev.kodiak.learn.Learner;
import dev.kodiak.learn.metrics.Metric;
import dev.kodiak.learn.metrics.Predictions;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.vision.learn.VisionLearner;
import dev.kodiak.models.Architectures;

/**
 * A custom metric: balanced accuracy, the mean over classes of the fraction of that class's items predicted right
 * (recall), so that a rare class counts as much as a common one. A metric reads plain Java: {@link Predictions} holds
 * the whole validation set's probabilities and targets, and no tensor is involved. Classes with no items in the
 * validation set are left out of the mean.
 *
 * <pre>
 * java -cp kodiak-cli/target/kodiak.jar:examples/target/examples.jar dev.kodiak.examples.BalancedAccuracy [DIR]
 * </pre>
 */
public final class BalancedAccuracy implements Metric {
    /** Trains a ResNet-18 for one epoch and prints balanced accuracy next to the error rate. */
    public static void main(String[] args) {
        EpochResult epoch = train(args);
        System.out.printf("balanced accuracy %.4f, error rate %.4f%n", epoch.metrics().get("balanced_accuracy"),
                epoch.metrics().get("error_rate"));
    }

    /** One epoch with this metric on the folder {@code args[0]} (default: the demo data). */
    static EpochResult train(String[] args) {
        try (DataLoaders<RgbImage> dls = ExampleData.loaders(ExampleData.folder(args))) {
            Learner learn = VisionLearner.create(dls, Architectures.RESNET18, ExampleData.options(new BalancedAccuracy()));
            learn.fitOneCycle(1, 1e-3);
            return learn.recorder().lastEpoch();
        }
    }

    @Override
    public String name() {
        return "balanced_accuracy"; // the column in the epoch table
    }

    @Override
    public double compute(Predictions p) {
        if (!p.singleLabel()) {
            throw new IllegalArgumentException("balanced accuracy is for single-label classification");
        }
        int[] items = new int[p.k()];
        int[] right = new int[p.k()];
        for (int i = 0; i < p.n(); i++) {
            int truth = (int) p.classTargets()[i];
            items[truth]++;
            if (p.predictedClass(i) == truth) {
                right[truth]++;
            }
        }
        double sum = 0;
        int classes = 0;
        for (int c = 0; c < p.k(); c++) {
            if (items[c] > 0) {
                sum += (double) right[c] / items[c];
                classes++;
            }
        }
        return classes == 0 ? Double.NaN : sum / classes;
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }
}
