package dev.kodiak.engine;

import dev.kodiak.io.SafeTensors;
import dev.kodiak.io.StateDict;
import dev.kodiak.io.TensorData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import java.nio.file.Path;
import org.bytedeco.pytorch.BatchNorm1dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleStateTest {
    @TempDir
    Path dir;

    static final class Tiny extends NativeModule {
        Tiny() {
            add("fc", new LinearImpl(3, 2));
            add("bn", new BatchNorm1dImpl(new BatchNormOptions(2)));
        }
    }

    @Test
    void namesFollowPyTorchsStateDictOrder() {
        assertThat(ModuleState.of(new Tiny()).names()).containsExactly("fc.weight", "fc.bias", "bn.weight", "bn.bias",
                "bn.running_mean", "bn.running_var", "bn.num_batches_tracked");
    }

    @Test
    void weightsSavedAsSafetensorsLoadIntoAFreshModuleExactly() {
        Engine.seed(1);
        StateDict saved = ModuleState.of(new Tiny());
        Path file = dir.resolve("tiny.safetensors");
        SafeTensors.write(file, saved);

        Engine.seed(2);
        Tiny fresh = new Tiny();
        assertThat(ModuleState.of(fresh)).isNotEqualTo(saved);
        ModuleState.load(fresh, SafeTensors.read(file), "tiny", file.toString());
        assertThat(ModuleState.of(fresh)).isEqualTo(saved);
    }

    @Test
    void everyMismatchIsReportedAtOnceWithItsName() {
        StateDict good = ModuleState.of(new Tiny());
        StateDict bad = StateDict.of(good.tensors().stream()
                .filter(t -> !t.name().equals("fc.bias"))
                .map(t -> t.name().equals("fc.weight") ? TensorData.ofFloats("fc.weight", new float[4], 2, 2) : t)
                .toList()).withPrefix("");
        StateDict withExtra = StateDict.of(concat(bad, TensorData.ofFloats("head.extra", new float[1], 1)));

        assertThatThrownBy(() -> ModuleState.load(new Tiny(), withExtra, "tiny", "bad.pth"))
                .isInstanceOf(KodiakException.class)
                .hasMessageContaining("the weights in bad.pth do not fit tiny")
                .hasMessageContaining("1 missing: fc.bias")
                .hasMessageContaining("1 unexpected: head.extra")
                .hasMessageContaining("1 with the wrong shape: fc.weight (file [2, 2], model [2, 3])");
    }

    @Test
    void olderCheckpointsWithoutNumBatchesTrackedLoad() {
        StateDict old = ModuleState.of(new Tiny()).filter(n -> !n.endsWith("num_batches_tracked"));
        Tiny fresh = new Tiny();
        assertThat(ModuleState.problems(fresh, old)).isEmpty();
        ModuleState.load(fresh, old, "tiny", "old.pth");
        assertThat(ModuleState.of(fresh).filter(n -> !n.endsWith("num_batches_tracked"))).isEqualTo(old);
    }

    private static java.util.List<TensorData> concat(StateDict d, TensorData extra) {
        java.util.List<TensorData> all = new java.util.ArrayList<>(d.tensors());
        all.add(extra);
        return all;
    }
}
