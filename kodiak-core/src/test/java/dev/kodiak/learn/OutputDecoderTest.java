package dev.kodiak.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import dev.kodiak.model.Manifest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading activated outputs as answers, per task. */
class OutputDecoderTest {
    private static final List<String> LABELS = List.of("cat", "dog", "fox");

    @Test
    void singleLabelAnswersTheMostProbableClassLowestIndexOnTies() {
        Answer a = OutputDecoder.of(Manifest.SINGLE_LABEL, LABELS, Double.NaN).decode(new float[] {9, 0.4f, 0.4f, 0.2f}, 1);
        assertThat(a.index()).isZero();
        assertThat(a.label()).isEqualTo("cat");
        assertThat(a.labels()).containsExactly("cat");
        assertThat(a.probabilities()).containsExactly(Map.entry("cat", (double) 0.4f), Map.entry("dog", (double) 0.4f),
                Map.entry("fox", (double) 0.2f));
    }

    @Test
    void multiLabelAnswersEveryLabelAtOrAboveTheThresholdMostProbableFirst() {
        Answer a = OutputDecoder.of(Manifest.MULTI_LABEL, LABELS, 0.5).decode(new float[] {0.5f, 0.1f, 0.9f}, 0);
        assertThat(a.labels()).containsExactly("fox", "cat");
        assertThat(a.label()).isEqualTo("fox");
    }

    @Test
    void regressionAnswersNamedValues() {
        Answer a = OutputDecoder.of(Manifest.REGRESSION, List.of("age"), Double.NaN).decode(new float[] {31.5f}, 0);
        assertThat(a.values()).containsExactly(Map.entry("age", 31.5));
        assertThat(a.label()).isNull();
        assertThat(a.index()).isEqualTo(-1);
    }

    @Test
    void anUnknownTaskIsRefused() {
        assertThatThrownBy(() -> OutputDecoder.of("ranking", LABELS, 0.5)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("unknown task 'ranking'");
    }
}
