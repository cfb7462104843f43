package dev.kodiak.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import dev.kodiak.testing.PythonTorch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * timm's parameter names, written from timm's layout (stem, stages of blocks, head), map one to one onto the names
 * torchvision 0.14's networks have (asked from Debian's python3-torchvision when it is installed).
 */
class TimmLayoutTest {
    @TempDir
    static Path dir;

    private static final List<String> BN = List.of("weight", "bias", "running_mean", "running_var",
            "num_batches_tracked");
    private static final List<String> AFFINE = List.of("weight", "bias");

    @Test
    void convnextNamesMapByStageBlockAndLayer() {
        assertThat(TimmLayout.CONVNEXT.torchvisionName("stem.0.weight")).contains("features.0.0.weight");
        assertThat(TimmLayout.CONVNEXT.torchvisionName("stem.1.bias")).contains("features.0.1.bias");
        assertThat(TimmLayout.CONVNEXT.torchvisionName("stages.0.blocks.2.conv_dw.weight"))
                .contains("features.1.2.block.0.weight");
        assertThat(TimmLayout.CONVNEXT.torchvisionName("stages.2.blocks.8.mlp.fc2.bias"))
                .contains("features.5.8.block.5.bias");
        assertThat(TimmLayout.CONVNEXT.torchvisionName("stages.3.downsample.1.weight")).contains("features.6.1.weight");
        assertThat(TimmLayout.CONVNEXT.torchvisionName("stages.1.blocks.0.gamma")).contains("features.3.0.layer_scale");
        assertThat(TimmLayout.CONVNEXT.torchvisionName("head.fc.weight")).contains("classifier.2.weight");
        assertThat(TimmLayout.CONVNEXT.torchvisionName("head.norm.weight")).contains("classifier.0.weight");
        // stage 0 has no downsampling (the stem does it), and the names of other families are not ConvNeXt's
        assertThat(TimmLayout.CONVNEXT.torchvisionName("stages.0.downsample.0.weight")).isEmpty();
        assertThat(TimmLayout.CONVNEXT.torchvisionName("conv_stem.weight")).isEmpty();
        assertThat(TimmLayout.CONVNEXT.torchvisionShape("features.3.0.layer_scale", new long[] {192}))
                .containsExactly(192, 1, 1);
        assertThat(TimmLayout.CONVNEXT.torchvisionShape("features.3.0.block.0.weight", new long[] {192, 1, 7, 7}))
                .containsExactly(192, 1, 7, 7);
    }

    @Test
    void efficientnetNamesMapSeparableAndInvertedResidualBlocks() {
        assertThat(TimmLayout.EFFICIENTNET.torchvisionName("conv_stem.weight")).contains("features.0.0.weight");
        assertThat(TimmLayout.EFFICIENTNET.torchvisionName("bn1.running_var")).contains("features.0.1.running_var");
        assertThat(TimmLayout.EFFICIENTNET.torchvisionName("blocks.0.0.conv_pw.weight"))
                .contains("features.1.0.block.2.0.weight");
        assertThat(TimmLayout.EFFICIENTNET.torchvisionName("blocks.1.1.conv_pw.weight"))
                .contains("features.2.1.block.0.0.weight");
        assertThat(TimmLayout.EFFICIENTNET.torchvisionName("blocks.5.3.se.conv_expand.bias"))
                .contains("features.6.3.block.2.fc2.bias");
        assertThat(TimmLayout.EFFICIENTNET.torchvisionName("blocks.6.0.bn3.weight"))
                .contains("features.7.0.block.3.1.weight");
        assertThat(TimmLayout.EFFICIENTNET.torchvisionName("conv_head.weight")).contains("features.8.0.weight");
        assertThat(TimmLayout.EFFICIENTNET.torchvisionName("classifier.bias")).contains("classifier.1.bias");
        assertThat(TimmLayout.EFFICIENTNET.torchvisionName("blocks.0.0.conv_pwl.weight")).isEmpty();
        assertThat(TimmLayout.EFFICIENTNET.torchvisionName("blocks.7.0.conv_pw.weight")).isEmpty();
    }

    @Test
    void resnetNamesAreTorchvisionsAndOthersAreRefused() {
        assertThat(TimmLayout.RESNET.torchvisionName("layer3.5.downsample.1.running_mean"))
                .contains("layer3.5.downsample.1.running_mean");
        assertThat(TimmLayout.RESNET.torchvisionName("fc.weight")).contains("fc.weight");
        assertThat(TimmLayout.RESNET.torchvisionName("conv1.0.weight")).isEmpty(); // resnet50d's deep stem
        assertThat(TimmLayout.RESNET.torchvisionName("layer1.0.se.fc1.weight")).isEmpty(); // seresnet
    }

    @Test
    void architecturesPickTheirLayoutAndTensorflowPortsAreRefused() {
        assertThat(TimmLayout.of("convnext_tiny")).isEqualTo(TimmLayout.CONVNEXT);
        assertThat(TimmLayout.of("efficientnet_b3")).isEqualTo(TimmLayout.EFFICIENTNET);
        assertThat(TimmLayout.of("resnet50")).isEqualTo(TimmLayout.RESNET);
        assertThatThrownBy(() -> TimmLayout.of("tf_efficientnet_b0")).isInstanceOf(KodiakException.class)
                .hasMessageContaining("TensorFlow port").hasMessageContaining("efficientnet_b0.ra_in1k");
        assertThatThrownBy(() -> TimmLayout.of("vit_base_patch16_224")).isInstanceOf(KodiakException.class)
                .hasMessageContaining("'vit_base_patch16_224'").hasMessageContaining("ResNet, ConvNeXt and EfficientNet");
    }

    @Test
    void convnextTinyMapsOntoTorchvisionsNames() throws Exception {
        assertMapsOnto(TimmLayout.CONVNEXT, convnextNames(List.of(3, 3, 9, 3)), "convnext_tiny");
    }

    @Test
    void efficientnetB0MapsOntoTorchvisionsNames() throws Exception {
        assertMapsOnto(TimmLayout.EFFICIENTNET, efficientnetNames(List.of(1, 2, 2, 3, 3, 4, 1)), "efficientnet_b0");
    }

    @Test
    void efficientnetB3MapsOntoTorchvisionsNames() throws Exception {
        assertMapsOnto(TimmLayout.EFFICIENTNET, efficientnetNames(List.of(2, 3, 3, 5, 5, 6, 2)), "efficientnet_b3");
    }

    @Test
    void resnet50MapsOntoTorchvisionsNames() throws Exception {
        assertMapsOnto(TimmLayout.RESNET, resnetBottleneckNames(List.of(3, 4, 6, 3)), "resnet50");
    }

    private void assertMapsOnto(TimmLayout layout, List<String> timmNames, String torchvisionModel) throws Exception {
        List<String> mapped = new ArrayList<>();
        for (String n : timmNames) {
            Optional<String> to = layout.torchvisionName(n);
            assertThat(to).as("timm's %s", n).isPresent();
            mapped.add(to.get());
        }
        PythonTorch.assumeAvailable();
        if (!Files.exists(dir.resolve("resnet50.txt"))) { // one Python start for the four networks
            PythonTorch.run(dir, """
                    import torchvision
                    for n in ['convnext_tiny', 'efficientnet_b0', 'efficientnet_b3', 'resnet50']:
                        m = getattr(torchvision.models, n)()
                        open(n + '.txt', 'w').write('\\n'.join(m.state_dict().keys()))
                    """);
        }
        List<String> torchvision = Files.readAllLines(dir.resolve(torchvisionModel + ".txt"));
        assertThat(mapped).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(torchvision);
    }

    // timm's ConvNeXt: stem conv + LayerNorm2d, per stage a downsampling (LayerNorm2d, conv) from stage 1 on, blocks
    // of a depthwise conv, a LayerNorm, an MLP (fc1, fc2) and the layer scale gamma, then head.norm and head.fc
    static List<String> convnextNames(List<Integer> depths) {
        List<String> names = new ArrayList<>();
        affine(names, "stem.0");
        affine(names, "stem.1");
        for (int s = 0; s < depths.size(); s++) {
            if (s > 0) {
                affine(names, "stages." + s + ".downsample.0");
                affine(names, "stages." + s + ".downsample.1");
            }
            for (int b = 0; b < depths.get(s); b++) {
                String p = "stages." + s + ".blocks." + b;
                names.add(p + ".gamma");
                affine(names, p + ".conv_dw");
                affine(names, p + ".norm");
                affine(names, p + ".mlp.fc1");
                affine(names, p + ".mlp.fc2");
            }
        }
        affine(names, "head.norm");
        affine(names, "head.fc");
        return names;
    }

    // timm's EfficientNet: conv_stem/bn1, stage 0 of depthwise-separable blocks (conv_dw, bn1, se, conv_pw, bn2), the
    // other stages inverted residuals (conv_pw, bn1, conv_dw, bn2, se, conv_pwl, bn3), conv_head/bn2, classifier
    static List<String> efficientnetNames(List<Integer> depths) {
        List<String> names = new ArrayList<>(List.of("conv_stem.weight"));
        batchNorm(names, "bn1");
        for (int s = 0; s < depths.size(); s++) {
            for (int b = 0; b < depths.get(s); b++) {
                String p = "blocks." + s + "." + b + ".";
                List<String> layers = s == 0 ? List.of("conv_dw", "bn1", "se", "conv_pw", "bn2")
                        : List.of("conv_pw", "bn1", "conv_dw", "bn2", "se", "conv_pwl", "bn3");
                for (String layer : layers) {
                    if (layer.startsWith("bn")) {
                        batchNorm(names, p + layer);
                    } else if (layer.equals("se")) {
                        affine(names, p + "se.conv_reduce");
                        affine(names, p + "se.conv_expand");
                    } else {
                        names.add(p + layer + ".weight");
                    }
                }
            }
        }
        names.add("conv_head.weight");
        batchNorm(names, "bn2");
        affine(names, "classifier");
        return names;
    }

    // timm's ResNet with bottlenecks, as timm's resnet.py names it (conv1/bn1, layerN.B.convK/bnK/downsample, fc)
    static List<String> resnetBottleneckNames(List<Integer> depths) {
        List<String> names = new ArrayList<>(List.of("conv1.weight"));
        batchNorm(names, "bn1");
        for (int l = 0; l < depths.size(); l++) {
            for (int b = 0; b < depths.get(l); b++) {
                String p = "layer" + (l + 1) + "." + b + ".";
                for (int k = 1; k <= 3; k++) {
                    names.add(p + "conv" + k + ".weight");
                    batchNorm(names, p + "bn" + k);
                }
                if (b == 0) {
                    names.add(p + "downsample.0.weight");
                    batchNorm(names, p + "downsample.1");
                }
            }
        }
        affine(names, "fc");
        return names;
    }

    private static void affine(List<String> names, String layer) {
        AFFINE.forEach(t -> names.add(layer + "." + t));
    }

    private static void batchNorm(List<String> names, String layer) {
        BN.forEach(t -> names.add(layer + "." + t));
    }
}
