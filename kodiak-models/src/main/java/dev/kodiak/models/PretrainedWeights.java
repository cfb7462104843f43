package dev.kodiak.models;

import dev.kodiak.KodiakException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Published ImageNet weights Kodiak knows by name: where they are, how to check them, and how their inputs must
 * be prepared.
 *
 * @param name          what users type ({@code resnet34}, {@code resnet50.a1_in1k})
 * @param architecture  the network they fit
 * @param url           the publisher's download address
 * @param fileName      the file's name in the cache (torchvision's own name; {@code <name>.safetensors} for timm)
 * @param sha256        what is known of the file's SHA-256: all 64 hex digits, a prefix (torchvision publishes
 *                      the first 8 in the file name), or empty when unknown (trusted on first download, then
 *                      pinned in the cache index)
 * @param sizeBytes     the file size, or -1 when not published
 * @param mean          per-channel normalisation mean (RGB, 0..1 scale)
 * @param std           per-channel normalisation standard deviation
 * @param resizeSize    the shorter side images are resized to before the centre crop at evaluation
 * @param inputSize     the square input the network was trained at
 * @param classes       the number of outputs
 * @param licence       the licence of the weights
 * @param description   one line: publisher, recipe, accuracy where known
 * @param interpolation how the publisher resized images for evaluation ({@code bilinear}, {@code bicubic}, ...)
 * @param top1          the ImageNet-1k top-1 accuracy (percent) its publisher reports, NaN when none is known
 */
public record PretrainedWeights(String name, Architecture architecture, String url, String fileName, String sha256,
        long sizeBytes, List<Double> mean, List<Double> std, int resizeSize, int inputSize, int classes,
        String licence, String description, String interpolation, double top1) {
    /** The resampling filters publishers name (PIL's, which torchvision and timm use). */
    public static final List<String> INTERPOLATIONS = List.of("nearest", "bilinear", "bicubic", "lanczos", "box",
            "hamming");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]*");

    /** Weights evaluated with bilinear resizing and no published accuracy. */
    public PretrainedWeights(String name, Architecture architecture, String url, String fileName, String sha256,
            long sizeBytes, List<Double> mean, List<Double> std, int resizeSize, int inputSize, int classes,
            String licence, String description) {
        this(name, architecture, url, fileName, sha256, sizeBytes, mean, std, resizeSize, inputSize, classes, licence,
                description, "bilinear", Double.NaN);
    }

    public PretrainedWeights {
        sha256 = sha256 == null ? "" : sha256.toLowerCase(Locale.ROOT);
        if (!HEX.matcher(sha256).matches() || sha256.length() > 64 || (!sha256.isEmpty() && sha256.length() < 8)) {
            throw new KodiakException("weights " + name + ": the SHA-256 must be 8 to 64 hex digits or empty, got " + sha256);
        }
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        if (mean.size() != 3 || std.size() != 3 || std.stream().anyMatch(s -> !(s > 0))) {
            throw new KodiakException("weights " + name + ": mean and std need three channels (std > 0)");
        }
        if (!(fileName.endsWith(".pth") || fileName.endsWith(".safetensors")) || fileName.contains("/")) {
            throw new KodiakException("weights " + name + ": the cache file name must be a plain .pth or .safetensors name");
        }
        if (inputSize < 1 || resizeSize < inputSize || classes < 1) {
            throw new KodiakException("weights " + name + ": invalid sizes (resize " + resizeSize + ", input " + inputSize
                    + ", classes " + classes + ")");
        }
        if (!INTERPOLATIONS.contains(interpolation)) {
            throw new KodiakException("weights " + name + ": unknown interpolation '" + interpolation + "'; one of "
                    + String.join(", ", INTERPOLATIONS) + " was expected");
        }
        if (!(Double.isNaN(top1) || (top1 > 0 && top1 <= 100))) {
            throw new KodiakException("weights " + name + ": a top-1 accuracy is a percentage, got " + top1);
        }
    }

    /** Whether the whole SHA-256 is known (not just a prefix, not trusted on first use). */
    public boolean hasFullHash() {
        return sha256.length() == 64;
    }

    /** Whether a file whose SHA-256 is {@code actual} matches what is known (always true when nothing is). */
    public boolean matches(String actual) {
        return actual.toLowerCase(Locale.ROOT).startsWith(sha256);
    }

    /** How the hash is checked, in the words {@code kodiak weights list} prints. */
    public String hashDescription() {
        if (hasFullHash()) {
            return "sha256 " + sha256;
        }
        if (!sha256.isEmpty()) {
            return "sha256 starts with " + sha256;
        }
        return "sha256 unknown until first download (then pinned)";
    }

    /** The download address, or the same file on a mirror when {@code mirror} (a base URL) is given. */
    public String urlOn(String mirror) {
        if (mirror == null || mirror.isBlank()) {
            return url;
        }
        return mirror.endsWith("/") ? mirror + fileName : mirror + "/" + fileName;
    }
}
