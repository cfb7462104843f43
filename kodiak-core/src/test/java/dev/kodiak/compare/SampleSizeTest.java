package dev.kodiak.compare;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SampleSizeTest {
    @Test
    void connorsFormulaForMcNemar() {
        // ψ = 0.3, δ = 0.1: (1.95996·√0.3 + 0.84162·√0.29)² / 0.01 = 233.09 → 234 items
        assertThat(SampleSize.mcNemar(0.2, 0.1, 0.8, 0.05)).hasValue(234);
        assertThat(SampleSize.mcNemar(0.1, 0.2, 0.8, 0.05)).hasValue(234);
        assertThat(SampleSize.mcNemar(0.1, 0.1, 0.8, 0.05)).isEmpty();
        // more power, more items
        assertThat(SampleSize.mcNemar(0.2, 0.1, 0.9, 0.05).getAsLong()).isGreaterThan(234);
    }

    @Test
    void pairedMeansNormalApproximation() {
        // ((1.95996 + 0.84162) · 1 / 0.5)² = 31.40 → 32 items
        assertThat(SampleSize.pairedMeans(0.5, 1, 0.8, 0.05)).hasValue(32);
        assertThat(SampleSize.pairedMeans(-0.5, 1, 0.8, 0.05)).hasValue(32);
        assertThat(SampleSize.pairedMeans(0, 1, 0.8, 0.05)).isEmpty();
    }
}
