package dev.kodiak.models;

import dev.kodiak.KodiakException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The published weights Kodiak knows. torchvision's IMAGENET1K_V1 (the weights fastai fine-tunes by default) under
 * the bare architecture names, and timm's ResNet Strikes Back "A1" weights (safetensors on the Hugging Face hub),
 * whose tensor names are torchvision's, under timm's names.
 */
public final class WeightsRegistry {
    /** ImageNet normalisation (torchvision and timm alike). */
    public static final List<Double> IMAGENET_MEAN = List.of(0.485, 0.456, 0.406);
    /** ImageNet normalisation (torchvision and timm alike). */
    public static final List<Double> IMAGENET_STD = List.of(0.229, 0.224, 0.225);

    private static final String TORCHVISION = "https://download.pytorch.org/models/";
    private static final String TORCHVISION_LICENCE = "BSD-3-Clause (torchvision); trained on ImageNet-1k";
    private static final String HUB = "https://huggingface.co/timm/";
    private static final Pattern TOP1 = Pattern.compile("(\\d{1,3}(?:\\.\\d+)?)% top-1");
    private static final String TIMM_LICENCE = "Apache-2.0 (timm); trained on ImageNet-1k";

    private static final List<PretrainedWeights> ALL = List.of(
            torchvision("resnet18", Architectures.RESNET18, "resnet18-f37072fd.pth",
                    "f37072fd47e89c5e827621c5baffa7500819f7896bbacec160b1a16c560e07ec", 46_830_571L, "69.758% top-1"),
            torchvision("resnet34", Architectures.RESNET34, "resnet34-b627a593.pth", "b627a593", -1, "73.314% top-1"),
            torchvision("resnet50", Architectures.RESNET50, "resnet50-0676ba61.pth", "0676ba61", -1, "76.130% top-1"),
            torchvision("convnext_tiny", Architectures.CONVNEXT_TINY, "convnext_tiny-983f1562.pth", "983f1562", 236, 224,
                    "bilinear", "82.520% top-1 at 224 px (bilinear resize to 236)"),
            torchvision("vit_b_16", Architectures.VIT_B_16, "vit_b_16-c867db91.pth", "c867db91", -1, "81.072% top-1"),
            torchvision("efficientnet_b0", Architectures.EFFICIENTNET_B0, "efficientnet_b0_rwightman-3dd342df.pth",
                    "3dd342df", 256, 224, "bicubic", "77.692% top-1 at 224 px (bicubic resize to 256; ported from the paper's)"),
            torchvision("efficientnet_b3", Architectures.EFFICIENTNET_B3, "efficientnet_b3_rwightman-cf984f9c.pth",
                    "cf984f9c", 320, 300, "bicubic", "82.008% top-1 at 300 px (bicubic resize to 320; ported from the paper's)"),
            torchvision("mobilenet_v3_large", Architectures.MOBILENET_V3_LARGE, "mobilenet_v3_large-8738ca79.pth",
                    "8738ca79", 256, 224, "bilinear", "74.042% top-1 at 224 px (bilinear resize to 256)"),
            torchvision("regnet_y_800mf", Architectures.REGNET_Y_800MF, "regnet_y_800mf-1b27b58c.pth", "1b27b58c",
                    256, 224, "bilinear", "76.420% top-1 at 224 px (bilinear resize to 256)"),
            timm("resnet18.a1_in1k", Architectures.RESNET18, 71.5),
            timm("resnet34.a1_in1k", Architectures.RESNET34, 76.4),
            timm("resnet50.a1_in1k", Architectures.RESNET50, 80.4));

    private WeightsRegistry() {
    }

    /** Every known weight. */
    public static List<PretrainedWeights> all() {
        return ALL;
    }

    /** The weights called {@code name}, if known. */
    public static Optional<PretrainedWeights> find(String name) {
        return ALL.stream().filter(w -> w.name().equals(name)).findFirst();
    }

    /** The weights called {@code name}, or an error listing the known names. */
    public static PretrainedWeights byName(String name) {
        return find(name).orElseThrow(() -> new KodiakException("unknown weights '" + name + "'; Kodiak knows "
                + String.join(", ", ALL.stream().map(PretrainedWeights::name).toList())
                + " (or give a .pth/.safetensors file)"));
    }

    /** The default weights for {@code architecture}: torchvision's IMAGENET1K_V1, as fastai uses. */
    public static PretrainedWeights defaultFor(Architecture architecture) {
        return byName(architecture.name());
    }

    // torchvision evaluates at 224 after resizing the shorter side to 256 (bilinear).
    private static PretrainedWeights torchvision(String name, Architecture arch, String file, String sha256, long size,
            String accuracy) {
        return new PretrainedWeights(name, arch, TORCHVISION + file, file, sha256, size, IMAGENET_MEAN, IMAGENET_STD,
                256, 224, 1000, TORCHVISION_LICENCE, "torchvision IMAGENET1K_V1, " + accuracy + " at 224 px", "bilinear",
                top1(accuracy));
    }

    /** The percentage of an accuracy written as torchvision's documentation does ("69.758% top-1"), else NaN. */
    static double top1(String accuracy) {
        Matcher m = TOP1.matcher(accuracy);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    // torchvision's IMAGENET1K_V1 of the other families: sizes and interpolation as its weight docs give them (sizes of
    // the files unpublished).
    private static PretrainedWeights torchvision(String name, Architecture arch, String file, String sha256,
            int resize, int crop, String interpolation, String accuracy) {
        return new PretrainedWeights(name, arch, TORCHVISION + file, file, sha256, -1, IMAGENET_MEAN, IMAGENET_STD,
                resize, crop, 1000, TORCHVISION_LICENCE, "torchvision IMAGENET1K_V1, " + accuracy, interpolation,
                top1(accuracy));
    }

    // timm's pretrained config for the A1 recipe: input 224, crop_pct 0.95 (resize 235), bicubic; timm also
    // suggests testing at 288 with crop_pct 1.0. The hub does not publish the hashes: trusted on first download.
    // top1: the A1 column of the ResNet Strikes Back paper's table (ImageNet-1k validation at 224 px).
    private static PretrainedWeights timm(String name, Architecture arch, double top1) {
        return new PretrainedWeights(name, arch, HUB + name + "/resolve/main/model.safetensors", name + ".safetensors",
                "", -1, IMAGENET_MEAN, IMAGENET_STD, 235, 224, 1000, TIMM_LICENCE,
                "timm ResNet Strikes Back A1 recipe (arXiv:2110.00476), " + top1 + "% top-1 at 224 px, crop 0.95",
                "bicubic", top1);
    }
}
