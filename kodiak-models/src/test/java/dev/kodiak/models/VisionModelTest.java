package dev.kodiak.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.ModuleState;
import dev.kodiak.engine.StepScope;
import dev.kodiak.engine.TorchTensors;
import dev.kodiak.io.StateDict;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class VisionModelTest {
    @Test
    void theHeadIsFastaisWithConcatPoolingAndNoBiases() {
        StateDict d = VisionModel.create(Architectures.RESNET18, 3).stateDict();
        assertThat(d.names()).filteredOn(n -> n.startsWith("head.")).containsExactly("head.bn1.weight",
                "head.bn1.bias", "head.bn1.running_mean", "head.bn1.running_var", "head.bn1.num_batches_tracked",
                "head.fc1.weight", "head.bn2.weight", "head.bn2.bias", "head.bn2.running_mean", "head.bn2.running_var",
                "head.bn2.num_batches_tracked", "head.fc2.weight");
        assertThat(d.get("head.bn1.weight").shape()).containsExactly(1024);
        assertThat(d.get("head.fc1.weight").shape()).containsExactly(512, 1024);
        assertThat(d.get("head.fc2.weight").shape()).containsExactly(3, 512);
        assertThat(VisionModel.create(Architectures.RESNET50, 2).stateDict().get("head.fc1.weight").shape())
                .containsExactly(512, 4096);
        assertThat(d.names()).filteredOn(n -> n.startsWith("body.")).first().isEqualTo("body.conv1.weight");
        assertThat(d.names()).noneMatch(n -> n.startsWith("body.fc."));
    }

    @Test
    void theHeadIsInitialisedAsFastaiDoes() {
        Engine.seed(0);
        StateDict d = VisionModel.create(Architectures.RESNET18, 10).stateDict();
        for (float w : d.get("head.bn1.weight").toFloats()) {
            assertThat(w).isEqualTo(1f);
        }
        for (float b : d.get("head.bn2.bias").toFloats()) {
            assertThat(b).isEqualTo(1e-3f);
        }
        // Kaiming normal, fan in 1024, gain sqrt(2): standard deviation sqrt(2/1024) = 0.0442
        float[] w = d.get("head.fc1.weight").toFloats();
        double sq = 0;
        for (float v : w) {
            sq += v * v;
        }
        assertThat(Math.sqrt(sq / w.length)).isBetween(0.043, 0.0455);
    }

    @Test
    void parameterGroupsAreStemAndEarlyLayersThenLateLayersThenHead() {
        VisionModel m = VisionModel.create(Architectures.RESNET18, 2);
        List<List<dev.kodiak.tensor.Tensor>> groups = m.parameterGroups();
        assertThat(groups).hasSize(3);
        // stem conv1 + bn1 (3) and layer1-2: 2 blocks x 6 + 2 blocks x 6 + downsample 3 = 27 -> 30
        assertThat(groups.get(0)).hasSize(30);
        assertThat(groups.get(1)).hasSize(2 * 12 + 2 * 3); // layer3-4 with their downsamples
        assertThat(groups.get(2)).hasSize(6);
        assertThat(groups.get(0).get(0).shape()).containsExactly(64, 3, 7, 7);
        assertThat(groups.get(2).get(5).shape()).containsExactly(2, 512);
        long total = groups.stream().mapToLong(List::size).sum();
        assertThat(total).isEqualTo(m.parameters().size());
    }

    @Test
    void forwardGivesOneScorePerClassAndChannelsLastAgrees() {
        Engine.seed(3);
        VisionModel m = VisionModel.create(Architectures.RESNET18, 4);
        m.eval();
        try (StepScope scope = StepScope.open(); NoGradGuard g = new NoGradGuard()) {
            Tensor x = torch.rand(2, 3, 64, 64);
            float[] plain = TorchTensors.fromTensor("y", m.forward(x)).toFloats();
            assertThat(plain).hasSize(8);
            m.channelsLast(true);
            float[] cl = TorchTensors.fromTensor("y", m.forward(x)).toFloats();
            for (int i = 0; i < plain.length; i++) {
                assertThat(cl[i]).isCloseTo(plain[i], org.assertj.core.data.Offset.offset(1e-4f));
            }
        }
    }

    @Test
    void pretrainedImagenetWeightsLoadIntoTheBodyWithoutTheirClassifier() {
        Engine.seed(5);
        StateDict imagenet = ModuleState.of(Architectures.RESNET18.newClassifier(1000));
        VisionModel m = VisionModel.create(Architectures.RESNET18, 2);
        m.loadPretrainedBody(imagenet, "imagenet.pth");
        assertThat(m.stateDict().withoutPrefix("body.")
                .filter(n -> !n.startsWith("fc."))).isEqualTo(imagenet.filter(n -> !n.startsWith("fc.")));

        StateDict wrong = ModuleState.of(Architectures.RESNET50.newClassifier(1000));
        assertThatThrownBy(() -> m.loadPretrainedBody(wrong, "r50.pth")).isInstanceOf(KodiakException.class)
                .hasMessageContaining("do not fit resnet18 body").hasMessageContaining("layer1.0.conv3.weight")
                .hasMessageContaining("with the wrong shape");
    }

    @Test
    void aHeadNeedsAtLeastOneClass() {
        assertThatThrownBy(() -> VisionModel.create(Architectures.RESNET18, 0)).isInstanceOf(KodiakException.class);
    }
}
