package dev.kodiak.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
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

class VisionTransformerTest {
    @Test
    void theBodyHandsTheClassTokenToTheHeadAsAOnePixelMap() {
        Engine.seed(21);
        Backbone body = Architectures.VIT_B_16.newBody(3);
        assertThat(ModuleState.of(body).names()).noneMatch(n -> n.startsWith("heads."))
                .startsWith("class_token", "conv_proj.weight", "conv_proj.bias", "encoder.pos_embedding",
                        "encoder.layers.encoder_layer_0.ln_1.weight")
                .contains("encoder.layers.encoder_layer_0.self_attention.in_proj_weight",
                        "encoder.layers.encoder_layer_11.mlp.3.bias")
                .endsWith("encoder.ln.weight", "encoder.ln.bias");
        body.eval();
        try (StepScope scope = StepScope.open(); NoGradGuard g = new NoGradGuard()) {
            assertThat(Tensors.shape(body.features(torch.rand(2, 3, 224, 224)))).containsExactly(2, 768, 1, 1);
        }
    }

    @Test
    void sidesThatAreNotMultiplesOfThePatchAreRefusedWithASizeToUse() {
        Backbone body = Architectures.VIT_B_16.newBody(3);
        try (StepScope scope = StepScope.open(); NoGradGuard g = new NoGradGuard()) {
            assertThatThrownBy(() -> body.features(torch.rand(1, 3, 100, 100))).isInstanceOf(KodiakException.class)
                    .hasMessageContaining("vit_b_16 cuts images into patches of 16 px")
                    .hasMessageContaining("multiples of 16, got 100x100").hasMessageContaining("--size 96");
        }
    }

    /**
     * At another size (a small ViT stored for 2x2 patches of 16 px, run at 48x64 = 3x4 patches) the stored embeddings
     * keep their shape, the class token's row is used as it is, the grid's are resampled for the forward pass, and
     * training reaches every stored position through the resampling.
     */
    @Test
    void otherSizesResampleTheStoredPositionEmbeddingsAndTrainThem() {
        Engine.seed(23);
        Architecture small = VisionTransformer.architecture("vit_small_test",
                new VisionTransformer.Shape(32, 16, 2, 4, 64, 128));
        Backbone body = small.newBody(3);
        try (StepScope scope = StepScope.open()) {
            Tensor y = body.features(torch.randn(2, 3, 48, 64));
            assertThat(Tensors.shape(y)).containsExactly(2, 64, 1, 1);
            y.sum().backward();
            Tensor positions = body.named_parameters().get(3).value();
            assertThat(body.named_parameters().get(3).key().getString()).isEqualTo("encoder.pos_embedding");
            assertThat(Tensors.shape(positions)).containsExactly(1, 5, 64);
            for (int row = 0; row < 5; row++) {
                assertThat(Tensors.scalar(positions.grad().get(0).get(row).abs().sum())).as("gradient of position %d", row)
                        .isPositive();
            }

            // the class token's embedding is kept, and a 1x1 grid resampled to 2x2 with aligned corners is constant
            Tensor stored = torch.randn(1, 2, 8);
            Tensor at = VisionTransformer.positionsAt(stored, 1, 8, 2, 2);
            assertThat(Tensors.shape(at)).containsExactly(1, 5, 8);
            for (int row = 1; row < 5; row++) {
                assertThat(Tensors.scalar(at.get(0).get(row).sub(stored.get(0).get(1)).abs().max())).isLessThan(1e-6f);
            }
            assertThat(Tensors.scalar(at.get(0).get(0).sub(stored.get(0).get(0)).abs().max())).isZero();
            assertThat(VisionTransformer.positionsAt(stored, 1, 8, 1, 1)).isSameAs(stored);
        }
    }

    @Test
    void fastaisFirstGroupIsTheEmbeddingsAndTheFirstSixBlocks() {
        VisionModel m = VisionModel.create(Architectures.VIT_B_16, 2);
        List<List<dev.kodiak.tensor.Tensor>> groups = m.parameterGroups();
        int block = 12; // two LayerNorms (4), attention (in_proj 2, out_proj 2), MLP (4)
        assertThat(groups.get(0)).hasSize(1 + 2 + 1 + 6 * block);
        assertThat(groups.get(1)).hasSize(6 * block + 2);
        assertThat(groups.get(2)).hasSize(6);
        assertThat(groups.get(2).get(0).shape()).containsExactly(2 * 768); // fastai's head: max ‖ average pool
    }

    /** A small ViT (the same code, 2 blocks of 64 features on 32 px): bf16 is emulated on CPUs without it, and slow. */
    @Test
    void aTrainingStepRunsUnderBf16Autocast() {
        Engine.seed(22);
        Architecture small = VisionTransformer.architecture("vit_small_test",
                new VisionTransformer.Shape(32, 16, 2, 4, 64, 128));
        VisionModel m = VisionModel.create(small, 3);
        m.train(true);
        try (StepScope scope = StepScope.open()) {
            Tensor loss;
            try (Autocast a = Autocast.bf16(true)) {
                loss = m.forward(torch.randn(2, 3, 32, 32)).pow(new org.bytedeco.pytorch.Scalar(2)).mean();
            }
            loss.backward();
            assertThat(Float.isFinite(Tensors.scalar(loss))).isTrue();
            Tensor grad = m.named_parameters().get(0).value().grad();
            assertThat(Float.isFinite(Tensors.scalar(grad.abs().sum()))).isTrue();
        }
    }

    @Test
    void torchvisionsImagenetWeightsAreRegisteredWithTheirPreprocessing() {
        PretrainedWeights w = WeightsRegistry.defaultFor(Architectures.VIT_B_16);
        assertThat(w.url()).isEqualTo("https://download.pytorch.org/models/vit_b_16-c867db91.pth");
        assertThat(w.sha256()).isEqualTo("c867db91");
        assertThat(w.resizeSize()).isEqualTo(256);
        assertThat(w.inputSize()).isEqualTo(224);
        assertThat(w.description()).contains("81.072% top-1");
    }
}
