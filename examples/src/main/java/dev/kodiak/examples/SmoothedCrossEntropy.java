package dev.kodiak.examples;

import dev.kodiak.data.DataLoaders;
import dev.kodiak.learn.EpochResult;
import dev.kodiak.learn.Learner;
import dev.kodiak.learn.loss.Loss;
import dev.kodiak.tensor.Tensor;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.vision.learn.VisionLearner;
import dev.kodiak.models.Architectures;

/**
 * A custom loss: cross-entropy with label smoothing, written with Kodiak's tensor operations. The target gives the
 * true class {@code 1 − ε + ε/k} and every class {@code ε/k}, so the model is not pushed to ever-more-confident
 * logits; per item the loss is {@code (1 − ε)·(−log p_target) + ε·mean_c(−log p_c)} (fastai's
 * {@code LabelSmoothingCrossEntropy}). Kodiak ships it as {@code Losses.crossEntropy(0.1)}: this class shows how such a
 * loss is written. The operations are libtorch's, autograd included, so {@code backward()} works on the result.
 *
 * <pre>
 * java -cp kodiak-cli/target/kodiak.jar:examples/target/examples.jar dev.kodiak.examples.SmoothedCrossEntropy [DIR]
 * </pre>
 */
public final class SmoothedCrossEntropy implements Loss {
    private final double eps;

    /** Label smoothing {@code eps} in [0, 1); 0.1 is fastai's default. */
    public SmoothedCrossEntropy(double eps) {
        if (!(eps >= 0 && eps < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + eps);
        }
        this.eps = eps;
    }

    /** Trains a ResNet-18 for one epoch with this loss and prints the epoch's losses. */
    public static void main(String[] args) {
        EpochResult epoch = train(args);
        System.out.printf("label smoothing: train loss %.4f, valid loss %.4f, error rate %.4f%n", epoch.trainLoss(),
                epoch.validLoss(), epoch.metrics().get("error_rate"));
    }

    /** One epoch with this loss (ε = 0.1) on the folder {@code args[0]} (default: the demo data). */
    static EpochResult train(String[] args) {
        try (DataLoaders<RgbImage> dls = ExampleData.loaders(ExampleData.folder(args))) {
            Learner learn = VisionLearner.create(dls, Architectures.RESNET18,
                    ExampleData.options().loss(new SmoothedCrossEntropy(0.1)));
            learn.fitOneCycle(1, 1e-3);
            return learn.recorder().lastEpoch();
        }
    }

    @Override
    public String name() {
        return "smoothed_cross_entropy"; // recorded in the model file; the built-in name stays the built-in's
    }

    @Override
    public Tensor perItem(Tensor output, Tensor target) {
        Tensor logp = output.toFloat().logSoftmax(1);                 // [B, k], float32 even under bf16 autocast
        Tensor nll = logp.gather(1, target.unsqueeze(1)).squeeze(1).neg(); // −log p of the true class, [B]
        Tensor spread = logp.mean(1, false).neg();                    // mean over classes of −log p_c, [B]
        return nll.mul(1 - eps).add(spread.mul(eps));
    }

    @Override
    public Tensor mean(Tensor output, Tensor target) {
        return perItem(output, target).mean();
    }

    @Override
    public Tensor activation(Tensor output) {
        return output.toFloat().softmax(1); // what the model's answers read: probabilities
    }

    @Override
    public boolean classTargets() {
        return true; // targets are class indices [B]
    }
}
