package dev.kodiak.vision.imagenet;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.StepScope;
import dev.kodiak.engine.TorchTensors;
import dev.kodiak.io.TensorData;
import dev.kodiak.models.Architecture;
import dev.kodiak.models.Backbone;
import dev.kodiak.models.ImageNetClasses;
import dev.kodiak.models.ResolvedWeights;
import dev.kodiak.models.Weights;
import dev.kodiak.vision.ImageDecoder;
import dev.kodiak.vision.RgbImage;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/** A pretrained classifier used as it is: the image in, the top ImageNet classes out. */
public final class ImageNetClassifier {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final Backbone net;
    private final ResolvedWeights weights;

    private ImageNetClassifier(Backbone net, ResolvedWeights weights) {
        this.net = net;
        this.weights = weights;
    }

    /** Builds {@code architecture} and loads the resolved weights into it (checked name by name). */
    public static ImageNetClassifier load(Architecture architecture, ResolvedWeights weights) {
        weights.requireFor(architecture);
        Backbone net = Weights.loadClassifier(architecture, weights.file());
        net.eval();
        return new ImageNetClassifier(net, weights);
    }

    /** The number of classes the loaded weights predict. */
    public int classes() {
        return net.classes();
    }

    /** The weights in use (for their preprocessing). */
    public ResolvedWeights weights() {
        return weights;
    }

    /**
     * The {@code top} best classes for {@code image}, best first. With {@code resize} false the image must already
     * be the input size and is only normalised. {@code source} names the image in errors.
     */
    public List<ClassScore> predict(BufferedImage image, boolean resize, int top, String source) {
        return predict(ImageDecoder.fromBufferedImage(image), resize, top, source);
    }

    /** As {@link #predict(BufferedImage, boolean, int, String)}, for an image Kodiak decoded. */
    public List<ClassScore> predict(RgbImage image, boolean resize, int top, String source) {
        if (top < 1) {
            throw new KodiakException("--top must be at least 1, got " + top);
        }
        float[] input = ImageNetInput.prepare(image, weights, resize, source);
        int size = weights.inputSize();
        float[] logits;
        try (StepScope scope = StepScope.open(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor x = TorchTensors.toTensor(TensorData.ofFloats("input", input, 1, 3, size, size));
            logits = TorchTensors.fromTensor("logits", NativeTensors.unwrap(net.forward(NativeTensors.wrap(x)))).toFloats();
        } catch (KodiakException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KodiakException("the forward pass on " + source + " failed: " + e.getMessage(), e);
        }
        return best(logits, top);
    }

    static List<ClassScore> best(float[] logits, int top) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        double norm = sum;
        double shift = max;
        boolean imagenet = logits.length == ImageNetClasses.COUNT;
        List<ClassScore> all = new ArrayList<>();
        IntStream.range(0, logits.length).forEach(i -> all.add(new ClassScore(i,
                imagenet ? ImageNetClasses.name(i) : "class " + i, logits[i], Math.exp(logits[i] - shift) / norm)));
        all.sort(Comparator.comparingDouble(ClassScore::logit).reversed());
        return List.copyOf(all.subList(0, Math.min(top, all.size())));
    }
}
