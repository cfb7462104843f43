package dev.kodiak.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.engine.Autocast;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.ModuleState;
import dev.kodiak.engine.StepScope;
import dev.kodiak.engine.Tensors;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class ConvNeXtTest {
    @Test
    void theBodyIsFeaturesWithoutTheClassifiersLayerNorm() {
        Backbone body = Architectures.CONVNEXT_TINY.newBody(3);
        assertThat(ModuleState.of(body).names()).noneMatch(n -> n.startsWith("classifier."))
                .contains("features.0.0.weight", "features.1.0.layer_scale", "features.6.1.weight")
                .last().isEqualTo("features.7.2.block.5.bias");
        try (StepScope scope = StepScope.open(); NoGradGuard g = new NoGradGuard()) {
            body.eval();
            assertThat(Tensors.shape(body.features(torch.rand(1, 3, 64, 64)))).containsExactly(1, 768, 2, 2);
        }
    }

    @Test
    void fastaisFirstGroupIsTheStemAndTheFirstTwoStages() {
        VisionModel m = VisionModel.create(Architectures.CONVNEXT_TINY, 2);
        List<List<dev.kodiak.tensor.Tensor>> groups = m.parameterGroups();
        int block = 9; // layer scale, depthwise conv (2), LayerNorm (2), two linear layers (4)
        assertThat(groups.get(0)).hasSize(4 + 3 * block + 4 + 3 * block); // stem, stage 1, downsample, stage 2
        assertThat(groups.get(1)).hasSize(4 + 9 * block + 4 + 3 * block);
        assertThat(groups.get(2)).hasSize(6);
        assertThat(groups.get(0).get(0).shape()).containsExactly(96, 3, 4, 4);
    }

    @Test
    void stochasticDepthDropsWholeImagesWhileTrainingAndNothingInEval() {
        Engine.seed(11);
        ConvNeXtBlock block = new ConvNeXtBlock(8, 1.0, 0.5);
        try (StepScope scope = StepScope.open(); NoGradGuard g = new NoGradGuard()) {
            Tensor x = torch.randn(32, 8, 5, 5);
            block.eval();
            float[] kept = Tensors.toFloats(block.forward(x).sub(x));
            block.train(true);
            float[] trained = Tensors.toFloats(block.forward(x).sub(x));
            int per = 8 * 5 * 5;
            int dropped = 0;
            for (int i = 0; i < 32; i++) {
                boolean zero = true;
                for (int j = i * per; j < (i + 1) * per; j++) {
                    zero &= trained[j] == 0f;
                }
                if (zero) {
                    dropped++;
                } else { // kept branches are scaled by 1 / (1 - p) = 2, so the expectation is the eval output
                    for (int j = i * per; j < (i + 1) * per; j++) {
                        assertThat(trained[j]).isCloseTo(2 * kept[j], org.assertj.core.data.Offset.offset(1e-4f));
                    }
                }
            }
            assertThat(dropped).as("images whose branch was dropped, of 32 at p = 0.5").isBetween(6, 26);
            block.eval();
            assertThat(Tensors.toFloats(block.forward(x).sub(x))).containsExactly(kept);
        }
    }

    /** A small ConvNeXt (the same code, far fewer channels): bf16 is emulated on CPUs without it, and slow. */
    @Test
    void aTrainingStepRunsUnderBf16Autocast() {
        Engine.seed(12);
        Architecture small = ConvNeXt.architecture("convnext_small_test", List.of(1, 1, 2, 1), List.of(8, 16, 32, 64),
                0.1);
        VisionModel m = VisionModel.create(small, 3).channelsLast(true);
        m.train(true);
        try (StepScope scope = StepScope.open()) {
            Tensor x = torch.randn(2, 3, 32, 32);
            Tensor loss;
            try (Autocast a = Autocast.bf16(true)) {
                loss = m.forward(x).pow(new org.bytedeco.pytorch.Scalar(2)).mean();
            }
            loss.backward();
            assertThat(Float.isFinite(Tensors.scalar(loss))).isTrue();
            Tensor grad = m.named_parameters().get(0).value().grad();
            assertThat(grad.defined()).isTrue();
            assertThat(Float.isFinite(Tensors.scalar(grad.abs().sum()))).isTrue();
        }
    }

    @Test
    void torchvisionsImagenetWeightsAreRegisteredWithTheirPreprocessing() {
        PretrainedWeights w = WeightsRegistry.defaultFor(Architectures.CONVNEXT_TINY);
        assertThat(w.url()).isEqualTo("https://download.pytorch.org/models/convnext_tiny-983f1562.pth");
        assertThat(w.sha256()).isEqualTo("983f1562");
        assertThat(w.resizeSize()).isEqualTo(236);
        assertThat(w.inputSize()).isEqualTo(224);
        assertThat(w.description()).contains("82.520% top-1").contains("bilinear");
    }
}
