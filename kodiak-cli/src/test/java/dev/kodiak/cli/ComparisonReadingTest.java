package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.compare.Comparison;
import dev.kodiak.compare.ItemMeasure;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonReadingTest {
    @Test
    void aLargePValueIsNeverReadAsNoDifference() {
        // 3 only A right, 5 only B right, 92 agree: B is 2 points better, p = 0.73
        double[] a = new double[100];
        double[] b = new double[100];
        for (int i = 0; i < 5; i++) {
            a[i] = 1;
        }
        for (int i = 5; i < 8; i++) {
            b[i] = 1;
        }
        List<String> lines = ComparisonReading.of(Comparison.ofValues(a, b, ItemMeasure.ERROR_RATE));
        assertThat(lines.get(0)).isEqualTo("B's error rate is 2.0 percentage points lower than A's on these 100 items "
                + "(B is better here).");
        assertThat(lines.get(1)).contains("compatible with B being better, about the same, or worse");
        assertThat(lines.get(2)).startsWith("p = 0.727: chance alone could well produce")
                .contains("not evidence that the models are equally good");
        assertThat(lines.get(3)).startsWith("To detect a difference of 2.0 percentage points with 80% power");
    }

    @Test
    void aSmallPValueSaysUnlikelyChanceNotThatItMatters() {
        double[] a = new double[100];
        double[] b = new double[100];
        for (int i = 0; i < 20; i++) {
            a[i] = 1;
        }
        List<String> lines = ComparisonReading.of(Comparison.ofValues(a, b, ItemMeasure.ERROR_RATE));
        assertThat(lines.get(1)).contains("lower: it leaves out no difference");
        assertThat(lines.get(2)).startsWith("p = 1.9e-06: a difference this large would be unlikely")
                .contains("does not say it matters");
        assertThat(lines.get(3)).endsWith(", no more than these.");
    }

    @Test
    void identicalAnswersSayNothingAboutOtherItems() {
        double[] same = {0, 1, 0, 0};
        List<String> lines = ComparisonReading.of(Comparison.ofValues(same, same, ItemMeasure.ERROR_RATE));
        assertThat(lines).containsExactly("B and A have the same error rate on these 4 items.",
                "Every resample of the items gives the same difference: the models agree on every item.",
                "p = 1.000: no item tells the models apart. That is not evidence that they are equally good on other "
                        + "items.");
    }
}
