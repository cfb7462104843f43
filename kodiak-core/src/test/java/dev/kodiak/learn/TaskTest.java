package dev.kodiak.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import dev.kodiak.model.Manifest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The typed task: names, the manifest's output section both ways, and the names of files written before. */
class TaskTest {

    @Test
    void theTaskNamesOfOlderFilesMapToTheHyphenatedOnes() {
        assertThat(Task.canonicalName("single_label")).isEqualTo("single-label");
        assertThat(Task.canonicalName("multi_label")).isEqualTo("multi-label");
        assertThat(Task.canonicalName("Regression")).isEqualTo("regression");
        Manifest.Output old = new Manifest.Output("multi_label", List.of("a", "b"), "bce_with_logits", 0.3);
        assertThat(old.task()).isEqualTo("multi-label");
        assertThat(Task.of(old)).isEqualTo(new Task.MultiLabel(List.of("a", "b"), 0.3, false));
        assertThat(Task.of(new Manifest.Output(null, List.of("x"), null, null))).isEqualTo(new Task.SingleLabel(List.of("x")));
    }

    @Test
    void theOutputSectionCarriesTheThresholdItsTuningAndTheYRange() {
        Task ml = new Task.MultiLabel(List.of("a", "b"), 0.35, true);
        Manifest.Output o = ml.output("bce_with_logits");
        assertThat(o.threshold()).isEqualTo(0.35);
        assertThat(o.thresholdTuned()).isTrue();
        assertThat(Task.of(o)).isEqualTo(ml);
        Task reg = new Task.Regression(List.of("size"), new YRange(-1, 4));
        Manifest.Output r = reg.output("mse");
        assertThat(r.yRange()).containsExactly(-1.0, 4.0);
        assertThat(r.threshold()).isNull();
        assertThat(Task.of(r)).isEqualTo(reg);
    }

    @Test
    void anUnknownTaskOrABadThresholdIsRefused() {
        assertThatThrownBy(() -> Task.canonicalName("ranking")).isInstanceOf(KodiakException.class)
                .hasMessage("unknown task 'ranking': use single-label, multi-label or regression");
        assertThatThrownBy(() -> new Task.MultiLabel(List.of("a"), 1.0, false)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("between 0 and 1");
    }

    @Test
    void aRegressionWithAYRangeSquashesItsOutputsWithSigmoidRange() {
        OutputDecoder d = OutputDecoder.of(new Task.Regression(List.of("size"), new YRange(10, 20)));
        float[] activated = d.activate(dev.kodiak.tensor.Tensor.of(new float[] {0f, 100f, -100f}, 3, 1)).toFloatArray();
        assertThat(activated).containsExactly(new float[] {15f, 20f, 10f}, org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(OutputDecoder.of(new Task.Regression(List.of("size"), List.of()))
                .activate(dev.kodiak.tensor.Tensor.of(new float[] {3f}, 1, 1)).toFloatArray()).containsExactly(3f);
    }
}
