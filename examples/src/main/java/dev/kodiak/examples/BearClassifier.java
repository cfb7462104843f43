package dev.kodiak.examples;

import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.Labels;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.data.Splitters;
import dev.kodiak.learn.Learner;
import dev.kodiak.learn.metrics.Metrics;
import dev.kodiak.vision.ImageBlock;
import dev.kodiak.vision.ImageFiles;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.vision.interpret.ClassificationInterpretation;
import dev.kodiak.vision.interpret.Plots;
import dev.kodiak.vision.learn.VisionLearner;
import dev.kodiak.models.Architectures;
import dev.kodiak.vision.predict.Prediction;
import dev.kodiak.vision.predict.Predictor;
import dev.kodiak.vision.transforms.Augment;
import dev.kodiak.vision.transforms.Resize;
import java.nio.file.Path;
import java.util.List;

/**
 * The bear-classifier lesson as one Java program: describe the data, look at it, fine-tune a pretrained ResNet,
 * see where it goes wrong, export it, load it elsewhere and predict.
 *
 * <pre>
 * java -cp kodiak-cli/target/kodiak.jar:examples/target/examples.jar dev.kodiak.examples.BearClassifier [DIR]
 *      [--size 128] [--epochs 3] [--bs 64] [--out bear-classifier]
 * </pre>
 * DIR holds one folder of images per label (bears/grizzly/*.jpg, bears/black/*.jpg, ...); without it the program
 * uses Kodiak's demo data (clip art of animals, flags and food).
 */
public final class BearClassifier {
    private BearClassifier() {
    }

    public static void main(String[] args) {
        Settings s = Settings.parse(args);

        // 1. Describe the data: images, one folder per label, 20% kept aside (at random, seed 42) for validation.
        DataBlock<RgbImage> bears = DataBlock.builder()
                .blocks(ImageBlock.rgb(), CategoryBlock.create())
                .items(ImageFiles::find)
                .splitter(Splitters.random(0.2, 42))
                .label(Labels.parentFolder())
                .itemTransforms(Resize.to(s.size))            // centre crop when validating, random crop when training
                .batchTransforms(Augment.standard())          // flips, rotations, zoom, warp, lighting
                .build();

        Path model = s.out.resolve("bears.kodiak");
        try (DataLoaders<RgbImage> dls = bears.dataLoaders(s.data, LoaderOptions.defaults().withBatchSize(s.bs))) {
            System.out.println("Labels: " + dls.vocab() + "; " + dls.train().size() + " training and "
                    + dls.valid().size() + " validation images");

            // 2. Look at a batch as the model will see it.
            dls.showBatch(s.out.resolve("batch.png"));

            // 3. Transfer learning: a ResNet-18 pretrained on ImageNet, fine-tuned to our labels.
            Learner learn = VisionLearner.create(dls, Architectures.RESNET18, Metrics.errorRate());
            learn.fineTune(s.epochs);
            Plots.loss(learn.recorder(), s.out.resolve("loss.png"));

            // 4. Where does it go wrong?
            var interp = ClassificationInterpretation.of(learn);
            interp.plotConfusionMatrix(s.out.resolve("confusion.png"));
            interp.plotTopLosses(9, s.out.resolve("top-losses.png"));
            System.out.println("Error rate: " + interp.errorRate());
            interp.mostConfused(2).forEach(c -> System.out.println("  confused: " + c));
            System.out.print(interp.classificationReport().table());

            // 5. Ship it: one file with the weights, the labels and the exact preprocessing.
            learn.export(model);
        }

        // 6. Elsewhere (a web app, a batch job): load the file and predict. No training code is involved.
        try (Predictor classifier = Predictor.load(model)) {
            List<Path> someImages = ImageFiles.find(s.data).subList(0, 3);
            for (Path image : someImages) {
                Prediction p = classifier.predict(image);
                System.out.printf("%s: %s (%.1f%%)%n", image.getFileName(), p.label(), 100 * p.probability());
            }
        }
        System.out.println("Model, batch, loss, confusion matrix and top losses are in " + s.out.toAbsolutePath());
    }

    /** The command line: {@code [DIR] [--size N] [--epochs N] [--bs N] [--out DIR]}. */
    record Settings(Path data, int size, int epochs, int bs, Path out) {
        static Settings parse(String[] args) {
            Path data = null;
            int size = 128;
            int epochs = 3;
            int bs = 64;
            Path out = Path.of("bear-classifier");
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--size" -> size = Integer.parseInt(args[++i]);
                    case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                    case "--bs" -> bs = Integer.parseInt(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    default -> data = Path.of(args[i]);
                }
            }
            return new Settings(data != null ? data : demoData(), size, epochs, bs, out);
        }

        // The demo data that ships with Kodiak: $KODIAK_HOME/data/clipart3, or ./data/clipart3.
        private static Path demoData() {
            String home = System.getProperty("kodiak.home", System.getenv().getOrDefault("KODIAK_HOME", "."));
            return Path.of(home, "data", "clipart3");
        }
    }
}
