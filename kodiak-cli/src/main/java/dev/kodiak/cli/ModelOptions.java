package dev.kodiak.cli;

import picocli.CommandLine.Option;

/** The options every verb that builds a learner shares: architecture, starting weights, batch and image size. */
final class ModelOptions {
    /** The names of Architectures.all(), for the help of every --arch option (ArchitectureHelpTest keeps them equal). */
    static final String ARCH_NAMES = "resnet18 | resnet34 | resnet50 | convnext_tiny | vit_b_16 | efficientnet_b0 | "
            + "efficientnet_b3 | mobilenet_v3_large | regnet_y_800mf";
    static final String ARCH_HELP = ARCH_NAMES + " (default: ${DEFAULT-VALUE}).";

    @Option(names = "--arch", defaultValue = "resnet18", description = ARCH_HELP)
    String arch;

    @Option(names = "--weights", defaultValue = "auto",
            description = "auto | NAME | FILE | hf:timm/NAME | none (default: ${DEFAULT-VALUE}: the architecture's ImageNet "
                    + "weights when cached or downloadable, else a loud warning and random weights; hf:timm/NAME: timm's "
                    + "weights from the Hugging Face hub, for the --arch its config names).")
    String weights;

    @Option(names = "--bs", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int bs;

    @Option(names = "--size", defaultValue = "128", description = "Image size in pixels (default: ${DEFAULT-VALUE}).")
    int size;
}
