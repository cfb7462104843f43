package dev.kodiak.vision.interpret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import dev.kodiak.compare.Estimate;
import dev.kodiak.learn.metrics.Predictions;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-made multi-label predictions whose per-label scores, averages and losses are known. */
class MultiLabelInterpretationTest {
    static final List<String> LABELS = List.of("cat", "dog", "fox");
    static final float[] PROBS = {
        0.9f, 0.2f, 0.6f,     // 0: predicted {cat, fox}, true {cat}
        0.3f, 0.8f, 0.1f,     // 1: predicted {dog},      true {dog, fox}
        0.7f, 0.4f, 0.2f,     // 2: predicted {cat},      true {cat, dog}
        0.1f, 0.1f, 0.1f};    // 3: predicted {},         true {}
    static final float[] TRUTH = {1, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0};

    @TempDir
    Path dir;

    static MultiLabelInterpretation interp(List<Path> items) {
        return MultiLabelInterpretation.of(LABELS, Predictions.ofValues(3, PROBS, TRUTH), items, 0.5);
    }

    @Test
    void perLabelPrecisionRecallF1AndSupport() {
        MultiLabelReport r = interp(List.of()).report();
        assertThat(r.perLabel()).extracting(ClassReport::label).containsExactly("cat", "dog", "fox");
        assertThat(r.perLabel().get(0)).isEqualTo(new ClassReport("cat", 1, 1, 1, 2));
        ClassReport dog = r.perLabel().get(1);
        assertThat(dog.precision()).isEqualTo(1.0);
        assertThat(dog.recall()).isEqualTo(0.5);
        assertThat(dog.f1()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(dog.support()).isEqualTo(2);
        assertThat(r.perLabel().get(2)).isEqualTo(new ClassReport("fox", 0, 0, 0, 1));   // one false alarm, one miss
        assertThat(r.items()).isEqualTo(4);
        assertThat(r.threshold()).isEqualTo(0.5);
    }

    @Test
    void microMacroWeightedAndSamplesAverages() {
        MultiLabelReport r = interp(List.of()).report();
        // pooled: tp 3, fp 1, fn 2
        assertThat(r.microAverage().precision()).isCloseTo(0.75, within(1e-12));
        assertThat(r.microAverage().recall()).isCloseTo(0.6, within(1e-12));
        assertThat(r.microAverage().f1()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(r.microAverage().support()).isEqualTo(5);
        assertThat(r.macroAverage().precision()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(r.macroAverage().recall()).isCloseTo(0.5, within(1e-12));
        assertThat(r.macroAverage().f1()).isCloseTo(5 / 9.0, within(1e-12));
        assertThat(r.weightedAverage().precision()).isCloseTo(0.8, within(1e-12));   // (2·1 + 2·1 + 1·0) / 5
        assertThat(r.weightedAverage().recall()).isCloseTo(0.6, within(1e-12));
        assertThat(r.weightedAverage().f1()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(r.samplesAverage().precision()).isCloseTo(0.625, within(1e-12)); // (0.5 + 1 + 1 + 0) / 4
        assertThat(r.samplesAverage().recall()).isCloseTo(0.5, within(1e-12));
        assertThat(r.samplesAverage().f1()).isCloseTo(0.5, within(1e-12));
        assertThat(r.table()).contains("precision", "support", "micro avg", "samples avg", "fox", "threshold 0.50")
                .contains("         dog      1.000      0.500      0.667        2");
    }

    @Test
    void f1SamplesAndF1MacroAgreeWithTheReport() {
        var interp = interp(List.of());
        assertThat(interp.f1Samples()).isCloseTo(0.5, within(1e-12));
        assertThat(interp.f1Macro()).isCloseTo(5 / 9.0, within(1e-12));
    }

    @Test
    void accuracyMultiComesWithASeededBootstrapInterval() {
        Estimate a = interp(List.of()).accuracyMulti();
        assertThat(a.value()).isCloseTo(0.75, within(1e-9));                        // 9 of 12 decisions right
        // per item 2/3, 2/3, 2/3, 1: a third of the resamples miss item 3 and score 2/3
        assertThat(a.interval().low()).isCloseTo(2 / 3.0, within(1e-9));
        assertThat(a.interval().high()).isGreaterThan(0.75).isLessThanOrEqualTo(1.0);
        assertThat(interp(List.of()).accuracyMulti()).isEqualTo(a);
        assertThat(MultiLabelInterpretation.of(LABELS, Predictions.ofValues(3, PROBS, TRUTH), List.of(), 0.15)
                .accuracyMulti().value()).isCloseTo(7 / 12.0, within(1e-9));       // 0.2s become predicted
    }

    @Test
    void topLossesAreByBinaryCrossEntropyCaptionedWithBothLabelSets() {
        List<MultiLabelTopLoss> top = interp(List.of()).topLosses(4);
        assertThat(top).extracting(MultiLabelTopLoss::index).containsExactly(1, 2, 0, 3);
        MultiLabelTopLoss worst = top.get(0);
        assertThat(worst.loss()).isCloseTo(-(Math.log(0.7) + Math.log(0.8) + Math.log(0.1)) / 3, within(1e-6));
        assertThat(worst.predicted()).containsExactly("dog");
        assertThat(worst.actual()).containsExactly("dog", "fox");
        assertThat(worst.caption()).isEqualTo("pred: dog\ntrue: dog, fox\nloss 0.96");
        assertThat(top.get(3).caption()).isEqualTo("pred: (none)\ntrue: (none)\nloss 0.11");
        assertThat(top.get(2).loss()).isCloseTo(-(Math.log(0.9) + Math.log(0.8) + Math.log(0.4)) / 3, within(1e-6));
    }

    @Test
    void givenLossesAreUsedAsTheyAre() {
        var p = Predictions.ofValues(3, PROBS, TRUTH).withLosses(new float[] {0, 0, 0, 9});
        assertThat(MultiLabelInterpretation.of(LABELS, p, List.of(), 0.5).topLosses(1).get(0).index()).isEqualTo(3);
    }

    @Test
    void reportMetricsUseTheMetricNames() {
        var interp = interp(List.of());
        Map<String, Object> m = interp.reportMetrics();
        assertThat(List.copyOf(m.keySet())).containsExactly("threshold", "accuracy_multi", "accuracy_multi_ci95",
                "f1_samples", "f1_macro", "per_label");
        assertThat((double) m.get("accuracy_multi")).isCloseTo(0.75, within(1e-9));
        Estimate a = interp.accuracyMulti();
        assertThat(m.get("accuracy_multi_ci95")).isEqualTo(List.of(a.interval().low(), a.interval().high()));
        assertThat((double) m.get("f1_samples")).isCloseTo(0.5, within(1e-12));
        assertThat((double) m.get("f1_macro")).isCloseTo(5 / 9.0, within(1e-12));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> per = (Map<String, Map<String, Object>>) m.get("per_label");
        assertThat(per.keySet()).containsExactly("cat", "dog", "fox");
        assertThat(List.copyOf(per.get("dog").keySet())).containsExactly("precision", "recall", "f1", "support");
        assertThat(per.get("dog").get("recall")).isEqualTo(0.5);
        assertThat(per.get("fox").get("support")).isEqualTo(1);
    }

    @Test
    void perLabelChartAndTopLossGridAreDecodablePngs() throws Exception {
        var interp = interp(SolidImages.write(dir, 4));
        Path bars = dir.resolve("per-label.png");
        Path top = dir.resolve("top-losses.png");
        interp.plotPerLabel(bars);
        interp.plotTopLosses(4, top);
        BufferedImage b = ImageIO.read(bars.toFile());
        assertThat(b.getWidth()).isEqualTo(800);
        assertThat(b.getHeight()).isEqualTo(500);
        BufferedImage t = ImageIO.read(top.toFile());
        assertThat(t.getWidth()).isEqualTo(SolidImages.gridWidth(2));
        assertThat(t.getHeight()).isGreaterThan(2 * 160);
        assertThat(interp.topLosses(1).get(0).item()).isEqualTo(dir.resolve("item1.png"));
    }

    @Test
    void wrongInputsAreRefused() {
        var p = Predictions.ofValues(3, PROBS, TRUTH);
        assertThatThrownBy(() -> MultiLabelInterpretation.of(List.of("a", "b"), p, List.of(), 0.5))
                .isInstanceOf(KodiakException.class).hasMessageContaining("2 labels");
        assertThatThrownBy(() -> MultiLabelInterpretation.of(LABELS, p, List.of(), 1.0))
                .isInstanceOf(KodiakException.class).hasMessageContaining("threshold");
        assertThatThrownBy(() -> MultiLabelInterpretation.of(List.of("a", "a", "b"), p, List.of(), 0.5))
                .isInstanceOf(KodiakException.class).hasMessageContaining("distinct");
        var classes = Predictions.ofClasses(3, PROBS, new long[] {0, 1, 0, 2});
        assertThatThrownBy(() -> MultiLabelInterpretation.of(LABELS, classes, List.of(), 0.5))
                .isInstanceOf(KodiakException.class).hasMessageContaining("ClassificationInterpretation");
    }
}
