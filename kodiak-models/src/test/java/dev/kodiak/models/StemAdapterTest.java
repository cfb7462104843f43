package dev.kodiak.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.GradMode;
import dev.kodiak.engine.StepScope;
import dev.kodiak.io.StateDict;
import dev.kodiak.io.TensorData;
import dev.kodiak.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** fastai's n_in=1: ImageNet weights on a one-channel model act as the RGB model on the input copied ×3. */
class StemAdapterTest {
    @Test
    void theAdaptedStemOnOneChannelEqualsTheRgbStemOnTheInputCopiedThreeTimes() {
        Engine.seed(3);
        VisionModel rgb = VisionModel.create(Architectures.RESNET18, 4);
        VisionModel mono = VisionModel.create(Architectures.RESNET18, 4, Heads.fastai(), 1);
        try {
            // the RGB body as a pretrained ImageNet classifier's state dict (plus an fc the body load skips)
            StateDict all = rgb.stateDict();
            List<TensorData> imagenet = new ArrayList<>(all.withoutPrefix("body.").filter(n -> !n.startsWith("head."))
                    .tensors());
            imagenet.add(TensorData.ofFloats("fc.bias", new float[1000], 1000));
            mono.loadPretrainedBody(StateDict.of(imagenet), "imagenet.pth");
            assertThat(mono.stateDict().get("body.conv1.weight").shape()).containsExactly(64, 1, 7, 7);
            // same head on both, so whole outputs compare
            List<TensorData> merged = new ArrayList<>();
            for (TensorData t : mono.stateDict().tensors()) {
                merged.add(t.name().startsWith("head.") ? all.get(t.name()) : t);
            }
            mono.load(StateDict.of(merged), "test");
            rgb.eval();
            mono.eval();
            try (StepScope scope = StepScope.open(); GradMode off = Engine.inferenceMode()) {
                Tensor x = Tensor.rand(2, 1, 64, 48);
                Tensor x3 = Tensor.cat(List.of(x, x, x), 1);
                float[] a = mono.forward(x).toFloatArray();
                float[] b = rgb.forward(x3).toFloatArray();
                assertThat(a).hasSize(8);
                for (int i = 0; i < a.length; i++) {
                    assertThat(a[i]).isCloseTo(b[i], org.assertj.core.data.Offset.offset(1e-4f));
                }
                // and not trivially: a copy of one RGB kernel (no sum) would differ
                assertThat(Math.abs(a[0]) + Math.abs(a[1])).isGreaterThan(0f);
            }
        } finally {
            rgb.release();
            mono.release();
        }
    }

    @Test
    void refusesWhatIsNotAnRgbStem() {
        StateDict d = StateDict.of(List.of(TensorData.ofFloats("conv1.weight", new float[8], 2, 1, 2, 2)));
        assertThatThrownBy(() -> StemAdapter.toOneChannel(d, "conv1.weight", "w.pth"))
                .isInstanceOf(KodiakException.class).hasMessageContaining("w.pth").hasMessageContaining("RGB stem");
        assertThatThrownBy(() -> VisionModel.create(Architectures.RESNET18, 2, Heads.fastai(), 2))
                .isInstanceOf(KodiakException.class).hasMessageContaining("2");
    }
}
