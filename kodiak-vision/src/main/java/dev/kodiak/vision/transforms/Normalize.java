package dev.kodiak.vision.transforms;

import dev.kodiak.KodiakException;
import dev.kodiak.data.BatchTransform;
import dev.kodiak.data.Rng;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Standardizes each channel of a batch: {@code (x - mean) / std}. Pretrained networks expect the statistics
 * they were trained with ({@link #imagenet()} for torchvision's and timm's ImageNet weights). Unlike augmentation
 * it applies to training, validation and inference alike, and the model file records {@link #mean()} and
 * {@link #std()} so that predictions normalize the same way.
 */
public final class Normalize implements BatchTransform {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    /** Runs after augmentation, which works on 0..1 pixel values. */
    public static final int ORDER = 100;

    /**
     * The smallest std accepted: real channel statistics of 0..1 pixels are around 0.2, while a std near 0 blows
     * pixels up past what float arithmetic holds and the model answers NaN.
     */
    public static final double MIN_STD = 1e-6;
    /** The largest std accepted; beyond it every image normalizes to about the same input. */
    public static final double MAX_STD = 1e3;
    /** The largest mean (in absolute value) accepted, for pixels that lie in 0..1. */
    public static final double MAX_ABS_MEAN = 1e3;

    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    private final float[] mean;
    private final float[] std;

    private Normalize(float[] mean, float[] std) {
        this.mean = mean;
        this.std = std;
    }

    /** ImageNet's per-channel statistics (RGB): mean 0.485, 0.456, 0.406; std 0.229, 0.224, 0.225. */
    public static Normalize imagenet() {
        return new Normalize(IMAGENET_MEAN.clone(), IMAGENET_STD.clone());
    }

    /**
     * Per-channel statistics, one value per channel of the input (3 for RGB): every mean finite and at most
     * {@value #MAX_ABS_MEAN} in absolute value, every std between {@value #MIN_STD} and {@value #MAX_STD}.
     */
    public static Normalize of(float[] mean, float[] std) {
        if (mean == null || std == null) {
            throw new KodiakException("Normalize needs both a mean and a std per channel, got "
                    + (mean == null ? "no mean" : "no std"));
        }
        if (mean.length == 0 || mean.length != std.length) {
            throw new KodiakException("Normalize needs one mean and one std per channel, got " + mean.length
                    + " mean value(s) and " + std.length + " std value(s)");
        }
        for (int c = 0; c < mean.length; c++) {
            String problem = problem(mean[c], std[c]);
            if (problem != null) {
                throw new KodiakException("Normalize " + problem.replace("{}", "of channel " + c));
            }
        }
        return new Normalize(mean.clone(), std.clone());
    }

    /**
     * What is wrong with a channel's statistics, as "mean {} must ..., got ..." ({} stands for the channel), or null
     * when they are usable. The model file's reader checks the recorded numbers with it before narrowing them to float.
     */
    public static String problem(double mean, double std) {
        if (!Double.isFinite(mean) || Math.abs(mean) > MAX_ABS_MEAN) {
            return "mean {} must be a finite number between -" + MAX_ABS_MEAN + " and " + MAX_ABS_MEAN + ", got " + mean;
        }
        if (!(std > 0)) {
            return "std {} must be positive, got " + std;
        }
        if (!(std >= MIN_STD && std <= MAX_STD)) {
            return "std {} must be between " + MIN_STD + " and " + MAX_STD + " (pixels are 0..1; a tiny std turns them "
                    + "into numbers too large for the model), got " + std;
        }
        return null;
    }

    /** The per-channel means (a copy). */
    public float[] mean() {
        return mean.clone();
    }

    /** The per-channel standard deviations (a copy). */
    public float[] std() {
        return std.clone();
    }

    public int channels() {
        return mean.length;
    }

    /**
     * Normalizes the loader's own batch in place, in every mode (see {@link BatchTransform#apply});
     * {@link #encode} leaves its input alone.
     */
    @Override
    public dev.kodiak.tensor.Tensor apply(dev.kodiak.tensor.Tensor x, Rng rng, boolean training) {
        return NativeTensors.wrap(apply(NativeTensors.unwrap(x), rng, training));
    }

    Tensor apply(Tensor x, Rng rng, boolean training) {
        return normalize(x, true);
    }

    /** {@code (x - mean) / std} per channel of a [B, C, H, W] batch; {@code x} is left alone. */
    public dev.kodiak.tensor.Tensor encode(dev.kodiak.tensor.Tensor x) {
        return NativeTensors.wrap(encode(NativeTensors.unwrap(x)));
    }

    Tensor encode(Tensor x) {
        return normalize(x, false);
    }

    private Tensor normalize(Tensor x, boolean inPlace) {
        checkChannels(x, "normalize");
        try {
            if (x.size(1) > 1 && x.is_contiguous(torch.MemoryFormat.ChannelsLast)) {
                return normalizeChannelsLast(x, inPlace);
            }
            // in place, or one new tensor (not two); instance in-place ops return the object they were called on
            Tensor shifted = inPlace ? x.sub_(stats(mean, x)) : x.sub(stats(mean, x));
            return shifted.div_(stats(std, x));
        } catch (RuntimeException e) {
            throw new KodiakException("cannot normalize a batch of shape " + Arrays.toString(x.shape()) + ": "
                    + e.getMessage(), e);
        }
    }

    /** The inverse, {@code x * std + mean}, to show a normalized batch as pixels. */
    @Override
    public dev.kodiak.tensor.Tensor decode(dev.kodiak.tensor.Tensor x) {
        return NativeTensors.wrap(decode(NativeTensors.unwrap(x)));
    }

    Tensor decode(Tensor x) {
        checkChannels(x, "decode");
        try {
            return x.mul(stats(std, x)).add(stats(mean, x));
        } catch (RuntimeException e) {
            throw new KodiakException("cannot denormalize a batch of shape " + Arrays.toString(x.shape()) + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public int order() {
        return ORDER;
    }

    /** E.g. {@code Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])}. */
    @Override
    public String describe() {
        return "Normalize(mean=" + list(mean) + ", std=" + list(std) + ")";
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalize other && Arrays.equals(mean, other.mean) && Arrays.equals(std, other.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    private void checkChannels(Tensor x, String what) {
        if (x.dim() != 4 || x.size(1) != mean.length) {
            throw new KodiakException("cannot " + what + " a batch of shape " + Arrays.toString(x.shape())
                    + ": expected [B, " + mean.length + ", H, W] to match the " + mean.length
                    + " channel statistics " + describe());
        }
    }

    /*
     * A channels-last batch has the channel as its innermost dimension: broadcasting [1, C, 1, 1] over it makes
     * libtorch's elementwise loop run C (3) values at a time, unvectorized, 5.5x slower than over an NCHW batch
     * (16.5 vs 3.0 ms per pass at 64x3x224x224 on one thread). Seen as rows of W*C values ([B*H, W*C], a view),
     * the statistics become one row tiled W times and the loop runs whole rows: the same operations on the same
     * values, so the same bits.
     */
    private Tensor normalizeChannelsLast(Tensor x, boolean inPlace) {
        long b = x.size(0);
        long c = x.size(1);
        long h = x.size(2);
        long w = x.size(3);
        Tensor rows = x.permute(0, 2, 3, 1).view(b * h, w * c);
        Tensor shifted = inPlace ? rows.sub_(tiledRow(mean, w, x)) : rows.sub(tiledRow(mean, w, x));
        shifted.div_(tiledRow(std, w, x));
        return inPlace ? x : shifted.view(b, h, w, c).permute(0, 3, 1, 2);
    }

    // [1, W*C]: the per-channel values repeated for each of a row's W pixels, on x's device and dtype.
    private static Tensor tiledRow(float[] values, long width, Tensor x) {
        int c = values.length;
        float[] row = new float[Math.toIntExact(width * c)];
        for (int i = 0; i < row.length; i++) {
            row[i] = values[i % c];
        }
        return Tensor.create(row, 1, row.length).to(x.device(), x.scalar_type());
    }

    // [1, C, 1, 1] on x's device and dtype, so it broadcasts over the batch.
    private static Tensor stats(float[] values, Tensor x) {
        return Tensor.create(values, 1, values.length, 1, 1).to(x.device(), x.scalar_type());
    }

    private static String list(float[] values) {
        return IntStream.range(0, values.length)
                .mapToObj(i -> Float.toString(values[i]))
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
