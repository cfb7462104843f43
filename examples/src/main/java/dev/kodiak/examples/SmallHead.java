package dev.kodiak.examples;

import dev.kodiak.data.DataLoaders;
import dev.kodiak.learn.Learner;
import dev.kodiak.learn.metrics.Predictions;
import dev.kodiak.layers.Layer;
import dev.kodiak.layers.Layers;
import dev.kodiak.tensor.Tensor;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.vision.learn.VisionLearner;
import dev.kodiak.models.Architectures;
import dev.kodiak.models.HeadFactory;
import dev.kodiak.vision.predict.Prediction;
import dev.kodiak.vision.predict.Predictor;
import java.nio.file.Path;
import java.util.List;

/**
 * A custom head (fastai's {@code custom_head}): instead of fastai's two-layer head, average pooling → BatchNorm →
 * dropout → one linear layer, with a learned temperature that scales the logits. Built from Kodiak's layers
 * ({@link Layers}) inside a {@link Layer} subclass; its parameters train, save and load with the rest of the model.
 *
 * <p>The model file records the head's name ({@code small-head}), not its code. A program that loads the file finds
 * the head through this jar's {@code META-INF/services/dev.kodiak.models.HeadFactory}, which lists this class
 * (or it calls {@code Heads.register(new SmallHead())} first).
 *
 * <pre>
 * java -cp kodiak-cli/target/kodiak.jar:examples/target/examples.jar dev.kodiak.examples.SmallHead [DIR] [OUT.kodiak]
 * </pre>
 */
public final class SmallHead implements HeadFactory {
    /** The name the model file records. */
    public static final String NAME = "small-head";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Layer create(int bodyFeatures, int outputs) {
        return new Net(bodyFeatures, outputs);
    }

    /** The head's layers: its parameters are {@code head.norm.*}, {@code head.fc.*} and {@code head.temperature.*}. */
    static final class Net extends Layer {
        private final Layer pool = add("pool", Layers.avgPool());        // [N, C, h, w] → [N, C]
        private final Layer norm;
        private final Layer drop = add("drop", Layers.dropout(0.2));
        private final Layer fc;
        private final Layer temperature = add("temperature", Layers.linear(1, 1, false)); // one learned number

        Net(int bodyFeatures, int outputs) {
            norm = add("norm", Layers.batchNorm1d(bodyFeatures));
            fc = add("fc", Layers.linear(bodyFeatures, outputs));
        }

        @Override
        public Tensor forward(Tensor features) {
            Tensor logits = fc.forward(drop.forward(norm.forward(pool.forward(features))));
            Tensor scale = temperature.forward(Tensor.ones(1, 1)).exp(); // e^w > 0, [1, 1], broadcast over the batch
            return logits.mul(scale);
        }
    }

    /** What one epoch with this head gave: the learner's and the exported model's answers on the validation images. */
    record Outcome(List<String> vocab, Predictions learner, List<Prediction> exported, float[] headBefore,
                   float[] headAfter) {
    }

    /** Trains a ResNet-18 with this head for one epoch, exports it, loads the file and predicts. */
    public static void main(String[] args) {
        Path model = Path.of(args.length > 1 ? args[1] : "small-head.kodiak");
        Outcome o = train(ExampleData.folder(args), model);
        for (int i = 0; i < Math.min(3, o.exported().size()); i++) {
            System.out.println("exported model: " + o.exported().get(i).describe());
        }
        System.out.println("model written to " + model.toAbsolutePath());
    }

    /** One epoch with this head on {@code data}; exports to {@code model} and predicts the validation images with it. */
    static Outcome train(Path data, Path model) {
        try (DataLoaders<RgbImage> dls = ExampleData.loaders(data)) {
            Learner learn = VisionLearner.create(dls, Architectures.RESNET18, new SmallHead(), ExampleData.options());
            float[] before = headWeights(learn);
            learn.fitOneCycle(1, 1e-3);
            float[] after = headWeights(learn);
            learn.export(model);
            Predictions mine = learn.getPreds(dls.valid());
            try (Predictor predictor = Predictor.load(model)) { // finds SmallHead through META-INF/services
                return new Outcome(dls.vocab(), mine, predictor.predictFiles(dls.valid().items()), before, after);
            }
        }
    }

    // the final layer's weights, read from the model's state dict
    private static float[] headWeights(Learner learn) {
        return VisionLearner.model(learn).stateDict().get("head.fc.weight").toFloats();
    }
}
