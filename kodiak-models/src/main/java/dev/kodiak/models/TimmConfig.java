package dev.kodiak.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.KodiakException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a timm {@code config.json} on the Hugging Face hub says about its weights: the architecture and how images
 * must be prepared. Newer configs keep the preprocessing under {@code pretrained_cfg}, older ones at the top level;
 * both are read, {@code pretrained_cfg} first.
 *
 * @param architecture  timm's architecture name ({@code convnext_tiny}, {@code resnet50})
 * @param classes       the classifier's outputs
 * @param inputSize     the square input size the weights were evaluated at
 * @param cropPct       the centre crop's share of the resized image (timm resizes to {@code inputSize / cropPct})
 * @param interpolation the resampling filter ({@code bicubic}, {@code bilinear}, ...)
 * @param mean          per-channel normalisation mean
 * @param std           per-channel normalisation standard deviation
 * @param licence       the licence the config declares, or empty
 */
public record TimmConfig(String architecture, int classes, int inputSize, double cropPct, String interpolation,
        List<Double> mean, List<Double> std, String licence) {
    /** The largest input side accepted: ImageNet models are evaluated at 224 to 600 px; more is a damaged file. */
    public static final int MAX_INPUT_SIZE = 2048;
    private static final ObjectMapper JSON = new ObjectMapper();

    public TimmConfig {
        if (architecture == null || !architecture.matches("[a-z0-9_]{1,100}")) {
            throw new KodiakException("names no architecture (its \"architecture\" is " + architecture + ")");
        }
        if (classes < 1 || classes > VisionModel.MAX_CLASSES) {
            throw new KodiakException("declares " + classes + " classes; Kodiak builds between 1 and "
                    + VisionModel.MAX_CLASSES);
        }
        if (inputSize < 8 || inputSize > MAX_INPUT_SIZE) {
            throw new KodiakException("declares an input size of " + inputSize + " px; between 8 and " + MAX_INPUT_SIZE
                    + " was expected");
        }
        if (!(cropPct >= 0.1 && cropPct <= 1.0)) {
            throw new KodiakException("declares a crop_pct of " + cropPct + "; between 0.1 and 1 was expected");
        }
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        if (mean.size() != 3 || std.size() != 3 || mean.stream().anyMatch(m -> !(m >= -10 && m <= 10))
                || std.stream().anyMatch(s -> !(s > 1e-6 && s <= 10))) {
            throw new KodiakException("declares mean " + mean + " and std " + std + "; three channels each, std > 0,"
                    + " were expected");
        }
        interpolation = interpolation == null ? "bilinear" : interpolation.toLowerCase(Locale.ROOT);
        if (!PretrainedWeights.INTERPOLATIONS.contains(interpolation)) {
            throw new KodiakException("declares the interpolation '" + interpolation + "'; one of "
                    + String.join(", ", PretrainedWeights.INTERPOLATIONS) + " was expected");
        }
        licence = licence == null ? "" : licence;
    }

    /** The shorter side images are resized to before the centre crop, as timm computes it. */
    public int resizeSize() {
        return (int) Math.floor(inputSize / cropPct);
    }

    /** Reads a config.json; {@code source} (its URL or file) names it in every error. */
    public static TimmConfig parse(byte[] json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new KodiakException("the timm config " + source + " is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new KodiakException("the timm config " + source + " is not a JSON object");
        }
        JsonNode cfg = root.path("pretrained_cfg");
        try {
            JsonNode size = value(cfg, root, "input_size");
            if (size.isMissingNode()) {
                throw new KodiakException("has no input_size (in pretrained_cfg or at the top level)");
            }
            if (!size.isArray() || size.size() != 3 || size.get(1).asInt() != size.get(2).asInt()) {
                throw new KodiakException("declares the input_size " + size + "; [3, N, N] was expected");
            }
            if (size.get(0).asInt() != 3) {
                throw new KodiakException("declares " + size.get(0) + " input channels; Kodiak's timm weights take RGB");
            }
            JsonNode classes = value(root, cfg, "num_classes");
            return new TimmConfig(root.path("architecture").asText(null), classes.isMissingNode() ? 1000 : classes.asInt(-1),
                    size.get(1).asInt(-1), value(cfg, root, "crop_pct").asDouble(0.875),
                    value(cfg, root, "interpolation").asText("bilinear"), triple(value(cfg, root, "mean"),
                            WeightsRegistry.IMAGENET_MEAN), triple(value(cfg, root, "std"), WeightsRegistry.IMAGENET_STD),
                    value(cfg, root, "license").asText(""));
        } catch (KodiakException e) {
            throw new KodiakException("the timm config " + source + " " + e.getMessage(), e);
        }
    }

    private static JsonNode value(JsonNode first, JsonNode then, String key) {
        return first.has(key) ? first.get(key) : then.path(key);
    }

    private static List<Double> triple(JsonNode node, List<Double> otherwise) {
        if (node.isMissingNode()) {
            return otherwise;
        }
        List<Double> out = new ArrayList<>();
        node.forEach(v -> out.add(v.isNumber() ? v.asDouble() : Double.NaN));
        return out;
    }
}
