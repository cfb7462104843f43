package dev.kodiak.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.kodiak.data.SplitterSpec;
import dev.kodiak.learn.RecipeJson;
import java.util.List;
import java.util.Map;

/**
 * A manifest of format version 1 — one flat object, the recipe in words — read only to be turned into today's
 * {@link Manifest}: model files and checkpoints written before format version 2 still load, predict and resume.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record ManifestV1(int formatVersion, String kodiakVersion, String createdAt, String architecture, Manifest.Head head,
                  String task, List<String> labels, String loss, Double threshold, int inputChannels,
                  List<Integer> inputSize, List<ItemTransformSpec> itemTransforms, Manifest.Normalization normalization,
                  Manifest.WeightsInfo weights, TrainingV1 training) {
    static final int VERSION = 1;

    /** Version 1's provenance: the data's fields inline, the recipe in words. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record TrainingV1(String dataRoot, String dataFingerprint, SplitterSpec split, String labelSpec,
                      List<String> validFiles, List<String> testFiles, String pretrained, String recipe,
                      Map<String, Integer> epochs, Map<String, Double> metrics, String precision) {
    }

    /** The same model in today's sections; its format version stays 1 (what the file says). */
    Manifest upgrade() {
        Manifest.Training t = training == null ? null : new Manifest.Training(
                new Manifest.Data(training.dataRoot(), training.dataFingerprint(), training.split(),
                        training.labelSpec(), training.validFiles(), training.testFiles()),
                training.pretrained(), RecipeJson.fromWords(training.recipe()), training.epochs(), training.metrics(),
                training.precision());
        return new Manifest(formatVersion, kodiakVersion, createdAt, new Manifest.Model(architecture, head),
                new Manifest.Input(Manifest.Input.IMAGE, inputChannels, inputSize, itemTransforms, normalization),
                new Manifest.Output(task, labels, loss, threshold), weights, t);
    }
}
