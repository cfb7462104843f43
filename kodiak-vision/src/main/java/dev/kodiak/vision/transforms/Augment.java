package dev.kodiak.vision.transforms;

import dev.kodiak.KodiakException;
import dev.kodiak.data.BatchTransform;
import dev.kodiak.data.Rng;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.bytedeco.pytorch.Tensor;

/**
 * Data augmentation on a training batch, the equivalent of fastai's {@code aug_transforms()}: random flips,
 * rotation, zoom and perspective warp, done as one resampling per image, then random brightness and contrast.
 * Validation, test and inference batches pass through untouched.
 *
 * <p>Per item, each operation is chosen independently: the flip with {@code pFlip}; the horizontal warp, the
 * vertical warp, the rotation and the zoom each with {@code pAffine}; brightness and contrast each with
 * {@code pLighting}. Amounts are uniform: rotation in ±{@code maxRotate} degrees, zoom in
 * [{@code minZoom}, {@code maxZoom}] around a random centre, each warp tilt in ±{@code maxWarp}, brightness
 * {@code b} in 0.5·(1 ± maxLighting) added as {@code logit(b)} to each pixel's logit, contrast {@code c} in
 * [1 - maxLighting, 1/(1 - maxLighting)] (log-uniform) multiplying the logit. All random numbers come from the
 * batch's {@link Rng}, drawn item by item, so a batch is the same whatever the number of loader workers.
 *
 * @param pFlip        probability of a left-right mirror (0 disables flipping)
 * @param verticalFlip also mirror upside down, independently, with {@code pFlip} (for satellite or microscope
 *                     images; fastai's {@code flip_vert} uses all eight dihedral symmetries instead)
 * @param maxRotate    largest rotation in degrees, 0..180
 * @param minZoom      smallest zoom factor (> 0; below 1 shrinks the image and shows padding)
 * @param maxZoom      largest zoom factor, at least {@code minZoom}
 * @param maxWarp      largest perspective tilt, 0 (off) up to but excluding 1: how far each corner moves, as a
 *                     fraction of half the image size
 * @param pAffine      probability of each of warp x, warp y, rotation and zoom, per item
 * @param maxLighting  strength of brightness and contrast changes, 0 (off) up to but excluding 1
 * @param pLighting    probability of each of brightness and contrast, per item
 * @param padMode      what fills the area uncovered by rotation, zoom-out or warp
 */
public record Augment(double pFlip, boolean verticalFlip, double maxRotate, double minZoom, double maxZoom,
                      double maxWarp, double pAffine, double maxLighting, double pLighting, Padding padMode)
        implements BatchTransform {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    /** How pixels outside the source image are filled when the sampling grid leaves it. */
    public enum Padding {
        /** Mirror the image at its border (fastai's default: no black corners). */
        REFLECTION(2),
        /** Black. */
        ZEROS(0),
        /** Repeat the border pixels. */
        BORDER(1);

        private final long code;

        Padding(long code) {
            this.code = code;
        }

        /** libtorch's grid_sampler padding code. */
        long code() {
            return code;
        }
    }

    public Augment {
        probability("pFlip", pFlip);
        probability("pAffine", pAffine);
        probability("pLighting", pLighting);
        if (!(maxRotate >= 0 && maxRotate <= 180)) {
            throw new KodiakException("maxRotate must be between 0 and 180 degrees, got " + maxRotate);
        }
        if (!(minZoom > 0) || !Double.isFinite(minZoom)) {
            throw new KodiakException("minZoom must be a positive factor (1 = no zoom), got " + minZoom);
        }
        if (!(maxZoom >= minZoom) || !Double.isFinite(maxZoom)) {
            throw new KodiakException("maxZoom must be at least minZoom (" + minZoom + "), got " + maxZoom);
        }
        if (!(maxWarp >= 0 && maxWarp < 1)) {
            throw new KodiakException("maxWarp must be at least 0 and below 1 (fastai's default is 0.2), got " + maxWarp);
        }
        if (!(maxLighting >= 0 && maxLighting < 1)) {
            throw new KodiakException("maxLighting must be at least 0 and below 1 (fastai's default is 0.2), got "
                    + maxLighting);
        }
        Objects.requireNonNull(padMode, "padMode");
    }

    /**
     * fastai's {@code aug_transforms()} defaults: flip left-right with p 0.5, rotate up to 10°, zoom 1.0–1.1,
     * warp 0.2, each with p 0.75; brightness and contrast 0.2, each with p 0.75; reflection padding.
     */
    public static Augment standard() {
        return new Augment(0.5, false, 10, 1, 1.1, 0.2, 0.75, 0.2, 0.75, Padding.REFLECTION);
    }

    /** No augmentation at all: every batch passes through unchanged. */
    public static Augment none() {
        return new Augment(0, false, 0, 1, 1, 0, 0.75, 0, 0.75, Padding.REFLECTION);
    }

    /** A builder starting from {@link #standard()}'s settings. */
    public static Builder builder() {
        return new Builder(standard());
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** True when this never changes a batch. */
    public boolean isNone() {
        return !flips() && !rotates() && !zooms() && !warps() && !lights();
    }

    /** Augments a training batch in place (the loader's own, see {@link BatchTransform#apply}) and returns it. */
    @Override
    public dev.kodiak.tensor.Tensor apply(dev.kodiak.tensor.Tensor x, Rng rng, boolean training) {
        return NativeTensors.wrap(apply(NativeTensors.unwrap(x), rng, training));
    }

    /** {@link #apply(dev.kodiak.tensor.Tensor, Rng, boolean)} on libtorch's tensor: the warps stay native. */
    Tensor apply(Tensor x, Rng rng, boolean training) {
        if (!training || isNone()) {
            return x;
        }
        Objects.requireNonNull(rng, "rng");
        if (x.dim() != 4) {
            throw new KodiakException("Augment expects a batch of images [B, C, H, W], got shape "
                    + Arrays.toString(x.shape()));
        }
        return apply(x, draw(rng, (int) x.size(0)));
    }

    /** Applies explicit per-item choices (tests and {@link #apply(Tensor, Rng, boolean)} use it). */
    Tensor apply(Tensor x, List<ItemAugmentation> items) {
        if (items.size() != x.size(0)) {
            throw new KodiakException("got augmentation choices for " + items.size() + " items but the batch has "
                    + x.size(0));
        }
        try {
            return Lighting.apply(AffineWarp.apply(x, items, padMode.code()), items);
        } catch (KodiakException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KodiakException("cannot augment a batch of shape " + Arrays.toString(x.shape()) + " ("
                    + x.scalar_type() + " on " + x.device().str().getString() + "): " + e.getMessage(), e);
        }
    }

    /**
     * Draws the choices for {@code batchSize} items, item by item. Each enabled operation always takes the same
     * number of draws, whether it is applied or not, so one item's choices never shift another's.
     */
    List<ItemAugmentation> draw(Rng rng, int batchSize) {
        List<ItemAugmentation> items = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            ItemAugmentation item = ItemAugmentation.NONE;
            if (flips()) {
                boolean horizontal = rng.chance(pFlip);
                boolean vertical = verticalFlip && rng.chance(pFlip);
                item = item.withFlips(horizontal, vertical);
            }
            if (warps()) {
                double wx = applied(rng, pAffine, rng.uniform(-maxWarp, maxWarp), 0);
                double wy = applied(rng, pAffine, rng.uniform(-maxWarp, maxWarp), 0);
                item = item.withWarp(wx, wy);
            }
            if (rotates()) {
                item = item.withRotation(applied(rng, pAffine, rng.uniform(-maxRotate, maxRotate), 0));
            }
            if (zooms()) {
                double factor = rng.uniform(minZoom, maxZoom);
                double centreX = rng.uniform();
                double centreY = rng.uniform();
                item = item.withZoom(applied(rng, pAffine, factor, 1), centreX, centreY);
            }
            if (lights()) {
                double brightness = applied(rng, pLighting,
                        rng.uniform(0.5 * (1 - maxLighting), 0.5 * (1 + maxLighting)), 0.5);
                double bound = -Math.log(1 - maxLighting);
                double contrast = applied(rng, pLighting, Math.exp(rng.uniform(-bound, bound)), 1);
                item = item.withLighting(brightness, contrast);
            }
            items.add(item);
        }
        return items;
    }

    // The amount is drawn before the coin so that both always consume the stream.
    private static double applied(Rng rng, double p, double amount, double neutral) {
        return rng.chance(p) ? amount : neutral;
    }

    private boolean flips() {
        return pFlip > 0;
    }

    private boolean rotates() {
        return maxRotate > 0 && pAffine > 0;
    }

    private boolean zooms() {
        return (minZoom != 1 || maxZoom != 1) && pAffine > 0;
    }

    private boolean warps() {
        return maxWarp > 0 && pAffine > 0;
    }

    private boolean lights() {
        return maxLighting > 0 && pLighting > 0;
    }

    /** Augmentation runs before normalization. */
    @Override
    public int order() {
        return 0;
    }

    /**
     * What this does, for summaries and the model file, e.g. {@code Augment(training only: flip p=0.5;
     * p=0.75 each: warp 0.2, rotate ±10°, zoom 1–1.1; p=0.75 each: brightness 0.2, contrast 0.2; padding reflection;
     * one resample per image)}.
     */
    @Override
    public String describe() {
        if (isNone()) {
            return "Augment(none)";
        }
        List<String> parts = new ArrayList<>();
        if (flips()) {
            parts.add((verticalFlip ? "flip left-right and up-down" : "flip") + " p=" + number(pFlip));
        }
        List<String> geometry = new ArrayList<>();
        if (warps()) {
            geometry.add("warp " + number(maxWarp));
        }
        if (rotates()) {
            geometry.add("rotate ±" + number(maxRotate) + "°");
        }
        if (zooms()) {
            geometry.add("zoom " + number(minZoom) + "–" + number(maxZoom));
        }
        if (!geometry.isEmpty()) {
            parts.add("p=" + number(pAffine) + " each: " + String.join(", ", geometry));
        }
        if (lights()) {
            parts.add("p=" + number(pLighting) + " each: brightness " + number(maxLighting) + ", contrast "
                    + number(maxLighting));
        }
        if (!geometry.isEmpty()) {
            parts.add("padding " + padMode.name().toLowerCase(Locale.ROOT) + ", one resample per image");
        }
        return "Augment(training only: " + String.join("; ", parts) + ")";
    }

    @Override
    public String toString() {
        return describe();
    }

    private static String number(double v) {
        if (v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static void probability(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new KodiakException(name + " must be a probability between 0 and 1, got " + p);
        }
    }

    /** Changes {@link Augment}'s settings one at a time; starts from the settings it was created with. */
    public static final class Builder {
        private double pFlip;
        private boolean verticalFlip;
        private double maxRotate;
        private double minZoom;
        private double maxZoom;
        private double maxWarp;
        private double pAffine;
        private double maxLighting;
        private double pLighting;
        private Padding padMode;

        private Builder(Augment from) {
            pFlip = from.pFlip;
            verticalFlip = from.verticalFlip;
            maxRotate = from.maxRotate;
            minZoom = from.minZoom;
            maxZoom = from.maxZoom;
            maxWarp = from.maxWarp;
            pAffine = from.pAffine;
            maxLighting = from.maxLighting;
            pLighting = from.pLighting;
            padMode = from.padMode;
        }

        /** Turns the left-right flip on (with p 0.5 unless {@link #pFlip} set another) or off. */
        public Builder flip(boolean on) {
            pFlip = on ? (pFlip > 0 ? pFlip : 0.5) : 0;
            return this;
        }

        /** Probability of each flip per item. */
        public Builder pFlip(double p) {
            pFlip = p;
            return this;
        }

        public Builder verticalFlip(boolean on) {
            verticalFlip = on;
            return this;
        }

        public Builder maxRotate(double degrees) {
            maxRotate = degrees;
            return this;
        }

        public Builder minZoom(double factor) {
            minZoom = factor;
            return this;
        }

        public Builder maxZoom(double factor) {
            maxZoom = factor;
            return this;
        }

        public Builder maxWarp(double magnitude) {
            maxWarp = magnitude;
            return this;
        }

        public Builder pAffine(double p) {
            pAffine = p;
            return this;
        }

        public Builder maxLighting(double magnitude) {
            maxLighting = magnitude;
            return this;
        }

        public Builder pLighting(double p) {
            pLighting = p;
            return this;
        }

        public Builder padMode(Padding mode) {
            padMode = mode;
            return this;
        }

        /** Checks the settings; a wrong one is a {@link KodiakException} naming it. */
        public Augment build() {
            return new Augment(pFlip, verticalFlip, maxRotate, minZoom, maxZoom, maxWarp, pAffine, maxLighting,
                    pLighting, padMode);
        }
    }
}
