package dev.kodiak.learn.lrfind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import org.junit.jupiter.api.Test;

class LrSuggestionsTest {
    /** 81 learning rates 1e-7, 10^-6.9, ..., 10 (lrs[50] = 1e-2). */
    private static double[] lrGrid() {
        double[] lrs = new double[81];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = Math.pow(10, -7 + i / 10.0);
        }
        return lrs;
    }

    /** A parabola in log(lr) with its minimum at index 50, i.e. lr 1e-2. */
    private static double[] parabola() {
        double[] losses = new double[81];
        for (int i = 0; i < losses.length; i++) {
            double x = (i - 50) / 10.0;
            losses[i] = x * x + 1;
        }
        return losses;
    }

    private static double[] lrsOf(int n) {
        double[] lrs = new double[n];
        for (int i = 0; i < n; i++) {
            lrs[i] = Math.pow(10, -6 + i);
        }
        return lrs;
    }

    @Test
    void minimumIsATenthOfTheLowestLossLearningRate() {
        Suggestion s = LrSuggestions.minimum(lrGrid(), parabola());
        assertThat(s.lr()).isCloseTo(1e-3, within(1e-16));
        assertThat(s.pointLr()).isCloseTo(1e-2, within(1e-15));
        assertThat(s.pointLoss()).isEqualTo(1.0);
    }

    @Test
    void valleyOfAParabolaSitsInsideTheDescendingRegion() {
        // the longest decreasing run is points 0..50 (51 long, its end 50): start counted as -1, sections 17,
        // index -1 + 17 + 8 = 24 → lr 10^(-7 + 2.4)
        Suggestion s = LrSuggestions.valley(lrGrid(), parabola());
        assertThat(s.lr()).isEqualTo(lrGrid()[24]);
        assertThat(s.lr()).isCloseTo(Math.pow(10, -4.6), within(1e-18));
        assertThat(s.lr()).isLessThan(1e-2);
        assertThat(s.pointLoss()).isEqualTo(parabola()[24]);
    }

    @Test
    void valleyFollowsTheLongestDecreasingSubsequenceRuleExactly() {
        // lds: 1, 2, 1, 3, 4, 4, 5, 1 → longest ends at 6 (length 5); start 6 - 5 = 1; sections 4/3;
        // index 1 + 1 + 0 = 2
        double[] losses = {5, 4, 6, 3, 2, 2.5, 1, 7};
        Suggestion s = LrSuggestions.valley(lrsOf(8), losses);
        assertThat(s.lr()).isEqualTo(lrsOf(8)[2]);
        assertThat(s.pointLoss()).isEqualTo(6);
    }

    @Test
    void steepIsWhereTheLossFallsFastestAgainstLogLr() {
        // a smooth drop centred between points 29 and 30 (log10 lr = -4.05): that segment is the steepest
        double[] lrs = lrGrid();
        double[] losses = new double[lrs.length];
        for (int i = 0; i < lrs.length; i++) {
            losses[i] = 2 - Math.tanh(3 * (Math.log10(lrs[i]) + 4.05));
        }
        Suggestion s = LrSuggestions.steep(lrs, losses);
        assertThat(s.lr()).isEqualTo(lrs[29]);
        assertThat(s.lr()).isCloseTo(Math.pow(10, -4.1), within(1e-18));
    }

    @Test
    void slideStopsWhereTheGradientStopsChanging() {
        // numpy-style gradient: -1, -1, -1, -0.75, -0.3, -0.055, -0.005, 0
        double[] losses = {5, 4, 3, 2, 1.5, 1.4, 1.39, 1.39};
        assertThat(LrSuggestions.gradient(losses))
                .containsExactly(new double[] {-1, -1, -1, -0.75, -0.3, -0.055, -0.005, 0}, within(1e-12));
        // interval of 2: |g7-g5|, |g6-g4|, |g5-g3|, |g4-g2|, |g3-g1| all > 0.005, |g2-g0| = 0 stops at left = 0,
        // the last left end taken is 1
        Suggestion s = LrSuggestions.slide(lrsOf(8), losses, 2, 0.005, 1.0);
        assertThat(s.lr()).isEqualTo(lrsOf(8)[1]);
        assertThat(s.pointLoss()).isCloseTo(4, within(1e-12));
        assertThat(LrSuggestions.slide(lrsOf(8), losses, 2, 0.005, 0.5).lr()).isEqualTo(lrsOf(8)[1] * 0.5);
    }

    @Test
    void slideWithDefaultsOnAParabolaStaysOnTheCurve() {
        // on a parabola the gradient changes at the same rate everywhere (|Δg| over 15 points = 0.3 > 0.005),
        // so the interval walks to the left edge: the last left end taken is point 0
        Suggestion s = LrSuggestions.slide(lrGrid(), parabola());
        assertThat(s.lr()).isEqualTo(lrGrid()[0]);
    }

    @Test
    void fromSweepTrimsTheStartTheEndAndEverythingFromTheFirstNaN() {
        double[] lrs = lrGrid();
        double[] losses = parabola();
        // numIt 100: drop the first 10 and the last 5 points
        LrSuggestions all = LrSuggestions.fromSweep(lrs, losses, 100);
        assertThat(all.minimum().lr()).isCloseTo(1e-3, within(1e-16));
        assertThat(all.valley().lr()).isEqualTo(LrSuggestions.valley(java.util.Arrays.copyOfRange(lrs, 10, 76),
                java.util.Arrays.copyOfRange(losses, 10, 76)).lr());
        // a NaN at 40 cuts the curve to points 10..39, whose lowest loss is at 39
        losses[40] = Double.NaN;
        assertThat(LrSuggestions.fromSweep(lrs, losses, 100).minimum().pointLr()).isEqualTo(lrs[39]);
        assertThatThrownBy(() -> LrSuggestions.fromSweep(new double[] {1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2},
                new double[] {1, 1, 1, 1, 1, 1}, 100)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("only 6 batches");
    }

    @Test
    void curvesAreChecked() {
        assertThatThrownBy(() -> LrSuggestions.minimum(new double[] {1e-3, 1e-4}, new double[] {1, 2}))
                .isInstanceOf(KodiakException.class).hasMessageContaining("increasing");
        assertThatThrownBy(() -> LrSuggestions.of(new double[] {1e-3}, new double[] {1}))
                .isInstanceOf(KodiakException.class).hasMessageContaining("at least 2");
    }
}
