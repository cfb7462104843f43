package dev.kodiak.examples;

import dev.kodiak.data.BatchTransform;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.Rng;
import dev.kodiak.learn.EpochResult;
import dev.kodiak.learn.Learner;
import dev.kodiak.tensor.Tensor;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.vision.learn.VisionLearner;
import dev.kodiak.models.Architectures;

/**
 * A custom batch transform: turns each training image grey with probability {@code p} (the luma of ITU-R BT.601, in
 * all three channels), so the model cannot lean on colour alone. It works on the whole batch as one Kodiak tensor
 * {@code [B, 3, H, W]}, draws one coin per image from the batch's {@link Rng} (so a seeded run repeats), and leaves
 * validation and inference alone.
 *
 * <pre>
 * java -cp kodiak-cli/target/kodiak.jar:examples/target/examples.jar dev.kodiak.examples.RandomGreyscale [DIR]
 * </pre>
 */
public final class RandomGreyscale implements BatchTransform {
    private static final float[] LUMA = {0.299f, 0.587f, 0.114f};

    private final double p;

    /** Each training image turns grey with probability {@code p}. */
    public RandomGreyscale(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("a probability must be in [0, 1], got " + p);
        }
        this.p = p;
    }

    /** Trains a ResNet-18 for one epoch with half of the training images grey. */
    public static void main(String[] args) {
        EpochResult epoch = train(args);
        System.out.printf("random greyscale: train loss %.4f, valid loss %.4f%n", epoch.trainLoss(), epoch.validLoss());
    }

    /** One epoch with this transform (p = 0.5) on the folder {@code args[0]} (default: the demo data). */
    static EpochResult train(String[] args) {
        try (DataLoaders<RgbImage> dls = ExampleData.loaders(ExampleData.folder(args), new RandomGreyscale(0.5))) {
            Learner learn = VisionLearner.create(dls, Architectures.RESNET18, ExampleData.options());
            learn.fitOneCycle(1, 1e-3);
            return learn.recorder().lastEpoch();
        }
    }

    @Override
    public Tensor apply(Tensor x, Rng rng, boolean training) {
        if (!training || p == 0) {
            return x; // an augmentation: validation and inference see the image as it is
        }
        int b = (int) x.size(0);
        float[] coins = new float[b];
        for (int i = 0; i < b; i++) {
            coins[i] = rng.chance(p) ? 1 : 0; // one draw per image, in item order
        }
        Tensor grey = x.mul(Tensor.of(LUMA, 1, 3, 1, 1)).sum(1, true); // [B, 1, H, W]
        Tensor chosen = Tensor.of(coins, b, 1, 1, 1).gt(0.5);          // [B, 1, 1, 1], broadcast over C, H, W
        return grey.where(chosen, x);                                  // grey where chosen, else the original
    }

    @Override
    public String describe() {
        return "RandomGreyscale(p=" + p + ")";
    }
}
