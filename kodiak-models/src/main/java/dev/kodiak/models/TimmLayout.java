package dev.kodiak.models;

import dev.kodiak.KodiakException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How timm names the parameters of a family Kodiak builds in torchvision's layout, and the renaming between the
 * two: pure functions on names (and the one shape that differs), so a timm {@code model.safetensors} loads into
 * Kodiak's modules. A name the family does not have maps to nothing, and the caller lists it.
 */
public enum TimmLayout {
    /** timm's ResNets (resnet18/34/50/...) already use torchvision's names: only names of that layout pass. */
    RESNET("resnet") {
        private static final Pattern NAME = Pattern.compile(
                "(conv1|bn1|layer[1-4]\\.\\d+\\.(conv[1-3]|bn[1-3]|downsample\\.[01])|fc)\\.(" + TENSOR + ")");

        @Override
        public Optional<String> torchvisionName(String timm) {
            return NAME.matcher(timm).matches() ? Optional.of(timm) : Optional.empty();
        }
    },

    /**
     * timm's ConvNeXt: {@code stem.0/1}, {@code stages.N.downsample.0/1}, {@code stages.N.blocks.M.conv_dw/norm/
     * mlp.fc1/mlp.fc2/gamma}, {@code head.norm/fc}; torchvision numbers stem, stages and downsamplings in one
     * {@code features} list (stage N at {@code 2N+1}, its downsampling at {@code 2N}), names the block's layers by
     * position and keeps the layer scale as {@code [C, 1, 1]}.
     */
    CONVNEXT("convnext") {
        private static final Pattern STEM = Pattern.compile("stem\\.([01])\\.(" + TENSOR + ")");
        private static final Pattern DOWN = Pattern.compile("stages\\.([1-9]\\d{0,3})\\.downsample\\.([01])\\.(" + TENSOR + ")");
        private static final Pattern BLOCK = Pattern.compile(
                "stages\\.(\\d{1,4})\\.blocks\\.(\\d{1,4})\\.(conv_dw|norm|mlp\\.fc1|mlp\\.fc2)\\.(" + TENSOR + ")");
        private static final Pattern GAMMA = Pattern.compile("stages\\.(\\d{1,4})\\.blocks\\.(\\d{1,4})\\.gamma");
        private static final Pattern HEAD = Pattern.compile("head\\.(norm|fc)\\.(" + TENSOR + ")");

        @Override
        public Optional<String> torchvisionName(String timm) {
            Matcher m;
            if ((m = STEM.matcher(timm)).matches()) {
                return Optional.of("features.0." + m.group(1) + "." + m.group(2));
            }
            if ((m = DOWN.matcher(timm)).matches()) {
                return Optional.of("features." + 2 * stage(m.group(1)) + "." + m.group(2) + "." + m.group(3));
            }
            if ((m = BLOCK.matcher(timm)).matches()) {
                String layer = switch (m.group(3)) {
                    case "conv_dw" -> "0";
                    case "norm" -> "2";
                    case "mlp.fc1" -> "3";
                    default -> "5";
                };
                return Optional.of(block(m) + ".block." + layer + "." + m.group(4));
            }
            if ((m = GAMMA.matcher(timm)).matches()) {
                return Optional.of(block(m) + ".layer_scale");
            }
            if ((m = HEAD.matcher(timm)).matches()) {
                return Optional.of("classifier." + (m.group(1).equals("norm") ? "0" : "2") + "." + m.group(2));
            }
            return Optional.empty();
        }

        @Override
        public long[] torchvisionShape(String torchvisionName, long[] shape) {
            // timm keeps the layer scale as a vector, torchvision as a [C, 1, 1] that broadcasts over NCHW
            return torchvisionName.endsWith(".layer_scale") && shape.length == 1 ? new long[] {shape[0], 1, 1} : shape;
        }

        private static String block(Matcher m) {
            return "features." + (2 * stage(m.group(1)) + 1) + "." + m.group(2);
        }
    },

    /**
     * timm's EfficientNet (B0-B7, not the {@code tf_} ports): {@code conv_stem/bn1}, {@code blocks.S.B.*},
     * {@code conv_head/bn2}, {@code classifier}; torchvision's {@code features.0} is the stem, {@code features.S+1}
     * stage S and {@code features.8} the head convolution, each block's layers numbered by position. Stage 0's
     * blocks are timm's depthwise-separable ones (no expansion), the others inverted residuals.
     */
    EFFICIENTNET("efficientnet") {
        private static final Pattern OUTER = Pattern.compile("(conv_stem|bn1|conv_head|bn2|classifier)\\.(" + TENSOR + ")");
        private static final Pattern BLOCK = Pattern.compile("blocks\\.(\\d{1,4})\\.(\\d{1,4})\\.([a-z0-9_.]+?)\\.(" + TENSOR + ")");
        // torchvision's EfficientNet B0-B7 all have seven stages: the head convolution is features.8
        private static final int HEAD_INDEX = 8;

        @Override
        public Optional<String> torchvisionName(String timm) {
            Matcher m;
            if ((m = OUTER.matcher(timm)).matches()) {
                String place = switch (m.group(1)) {
                    case "conv_stem" -> "features.0.0";
                    case "bn1" -> "features.0.1";
                    case "conv_head" -> "features." + HEAD_INDEX + ".0";
                    case "bn2" -> "features." + HEAD_INDEX + ".1";
                    default -> "classifier.1";
                };
                return Optional.of(place + "." + m.group(2));
            }
            if ((m = BLOCK.matcher(timm)).matches()) {
                int stage = stage(m.group(1));
                if (stage >= HEAD_INDEX - 1) {
                    return Optional.empty();
                }
                String layer = stage == 0 ? separableLayer(m.group(3)) : invertedResidualLayer(m.group(3));
                return layer == null ? Optional.empty()
                        : Optional.of("features." + (stage + 1) + "." + m.group(2) + ".block." + layer + "." + m.group(4));
            }
            return Optional.empty();
        }

        private static String separableLayer(String timm) {
            return switch (timm) {
                case "conv_dw" -> "0.0";
                case "bn1" -> "0.1";
                case "se.conv_reduce" -> "1.fc1";
                case "se.conv_expand" -> "1.fc2";
                case "conv_pw" -> "2.0";
                case "bn2" -> "2.1";
                default -> null;
            };
        }

        private static String invertedResidualLayer(String timm) {
            return switch (timm) {
                case "conv_pw" -> "0.0";
                case "bn1" -> "0.1";
                case "conv_dw" -> "1.0";
                case "bn2" -> "1.1";
                case "se.conv_reduce" -> "2.fc1";
                case "se.conv_expand" -> "2.fc2";
                case "conv_pwl" -> "3.0";
                case "bn3" -> "3.1";
                default -> null;
            };
        }
    };

    /** What a parameter or buffer of a layer is called, in both layouts. */
    private static final String TENSOR = "weight|bias|running_mean|running_var|num_batches_tracked";

    private final String prefix;

    TimmLayout(String prefix) {
        this.prefix = prefix;
    }

    /** The torchvision name of timm's {@code timm} parameter, or empty when this family has no such parameter. */
    public abstract Optional<String> torchvisionName(String timm);

    /** The shape torchvision gives the tensor {@code torchvisionName} that timm stores as {@code shape}. */
    public long[] torchvisionShape(String torchvisionName, long[] shape) {
        return shape;
    }

    /**
     * The layout of timm's architecture {@code timmArchitecture} (a config's {@code architecture}, e.g.
     * {@code convnext_tiny}), or an error: the TensorFlow ports ({@code tf_*}) pad differently and families Kodiak
     * does not build are refused.
     */
    public static TimmLayout of(String timmArchitecture) {
        String a = timmArchitecture == null ? "" : timmArchitecture;
        if (a.startsWith("tf_")) {
            throw new KodiakException("timm's '" + a + "' is a TensorFlow port (asymmetric 'same' padding) that Kodiak "
                    + "does not build; use the PyTorch-native weights of the family instead (e.g. efficientnet_b0.ra_in1k)");
        }
        return Arrays.stream(values()).filter(l -> a.startsWith(l.prefix)).findFirst()
                .orElseThrow(() -> new KodiakException("timm's architecture '" + a + "' is not one Kodiak reads from the "
                        + "hub; it reads timm's ResNet, ConvNeXt and EfficientNet weights"));
    }

    private static int stage(String digits) {
        return Integer.parseInt(digits); // at most four digits: the patterns allow no more
    }
}
