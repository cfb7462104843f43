package com.example.consumer;

import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.Labels;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.data.Splitters;
import dev.kodiak.learn.Learner;
import dev.kodiak.learn.ValidationResult;
import dev.kodiak.learn.metrics.Metrics;
import dev.kodiak.vision.ImageBlock;
import dev.kodiak.vision.ImageFiles;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.vision.learn.PretrainedChoice;
import dev.kodiak.vision.learn.VisionLearner;
import dev.kodiak.vision.learn.VisionLearnerOptions;
import dev.kodiak.models.Architectures;
import dev.kodiak.vision.predict.Prediction;
import dev.kodiak.vision.predict.Predictor;
import dev.kodiak.vision.transforms.Resize;
import java.nio.file.Path;

/**
 * Kodiak used from another project: trains a small image classifier for one epoch on a folder with one sub-folder
 * of images per label, exports it and predicts one image with the exported file.
 *
 * <pre>
 * java -cp ... com.example.consumer.TinyClassifier DIR OUT.kodiak
 * </pre>
 */
public final class TinyClassifier {
    private TinyClassifier() {
    }

    /** What one epoch gave: the validation result and the exported model's answer for one image. */
    public record Outcome(ValidationResult validation, Prediction prediction) {
    }

    public static void main(String[] args) {
        Outcome outcome = train(Path.of(args[0]), Path.of(args[1]));
        System.out.printf("valid_loss %.4f  error_rate %.4f  %s -> %s%n", outcome.validation().loss(),
                outcome.validation().metric("error_rate"), args[0], outcome.prediction().label());
    }

    /** One epoch of a ResNet-18 from random weights on 32-pixel images, exported to {@code model}. */
    public static Outcome train(Path data, Path model) {
        DataBlock<RgbImage> block = DataBlock.builder()
                .blocks(ImageBlock.rgb(), CategoryBlock.create())
                .items(ImageFiles::find)
                .splitter(Splitters.random(0.25, 42))
                .label(Labels.parentFolder())
                .itemTransforms(Resize.to(32))
                .build();
        ValidationResult validation;
        try (DataLoaders<RgbImage> dls = block.dataLoaders(data, LoaderOptions.defaults().withBatchSize(8))) {
            VisionLearnerOptions options = VisionLearnerOptions.defaults()
                    .weights(PretrainedChoice.none())
                    .seed(42L)
                    .metrics(java.util.List.of(Metrics.errorRate()));
            Learner learn = VisionLearner.create(dls, Architectures.RESNET18, options);
            learn.fitOneCycle(1, 1e-3);
            validation = learn.validate();
            learn.export(model);
        }
        try (Predictor predictor = Predictor.load(model)) {
            return new Outcome(validation, predictor.predict(ImageFiles.find(data).get(0)));
        }
    }
}
