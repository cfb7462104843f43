package dev.kodiak.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.engine.Engine;
import dev.kodiak.engine.GradMode;
import dev.kodiak.engine.StepScope;
import dev.kodiak.engine.Tensors;
import dev.kodiak.io.StateDict;
import dev.kodiak.io.TensorData;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class BatchNormFoldingTest {
    @Test
    void foldingEveryBatchNormKeepsTheLogitsWithin1e4() {
        Engine.seed(3);
        VisionModel model = VisionModel.create(Architectures.RESNET18, 5);
        model.load(withRandomBatchNormStatistics(model.stateDict()), "test");
        model.eval();
        model.channelsLast(true);
        Engine.seed(4);
        try (StepScope scope = StepScope.open(); GradMode g = Engine.inferenceMode()) {
            Tensor x = org.bytedeco.pytorch.global.torch.randn(3, 3, 64, 48);
            float[] before = Tensors.toFloats(model.forward(x));
            model.foldBatchNorm();
            float[] after = Tensors.toFloats(model.forward(x));
            assertThat(after).hasSize(15);
            double maxDiff = 0;
            double maxAbs = 0;
            for (int i = 0; i < before.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(before[i] - after[i]));
                maxAbs = Math.max(maxAbs, Math.abs(before[i]));
            }
            assertThat(maxAbs).isGreaterThan(0.1); // the outputs are not trivially zero
            assertThat(maxDiff).isLessThan(1e-4);
        } finally {
            model.release();
        }
    }

    // Trained networks have BatchNorm statistics far from the initial (0 mean, 1 var, weight 1, bias 0).
    private static StateDict withRandomBatchNormStatistics(StateDict d) {
        Random random = new Random(11);
        List<TensorData> out = new ArrayList<>();
        for (TensorData t : d.tensors()) {
            String n = t.name();
            boolean bn = n.contains("bn") || n.contains("downsample.1");
            if (bn && t.dtype() == dev.kodiak.io.DType.F32) {
                float[] v = new float[(int) t.numel()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = n.endsWith("running_var") ? 0.5f + random.nextFloat() * 2
                            : n.endsWith("weight") ? 0.5f + random.nextFloat()
                            : (random.nextFloat() - 0.5f) * 0.4f;
                }
                out.add(TensorData.ofFloats(n, v, t.shape()));
            } else {
                out.add(t);
            }
        }
        return StateDict.of(out);
    }
}
