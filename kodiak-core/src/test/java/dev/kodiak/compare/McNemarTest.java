package dev.kodiak.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class McNemarTest {
    @Test
    void exactPValueIsTheTwoSidedBinomialOnTheDiscordantItems() {
        // 1 item only A gets right, 9 only B: B(10, ½) at 9 → (1 + 10 + 10 + 1) / 1024
        assertThat(new McNemar(1, 9).pValue()).isCloseTo(22.0 / 1024, within(1e-15));
        assertThat(new McNemar(9, 1).pValue()).isCloseTo(22.0 / 1024, within(1e-15));
        // 0 vs 6: both extreme outcomes, 2/64
        assertThat(new McNemar(0, 6).pValue()).isCloseTo(2.0 / 64, within(1e-15));
        assertThat(new McNemar(4, 4).pValue()).isEqualTo(1.0);
        assertThat(new McNemar(0, 0).pValue()).isEqualTo(1.0);
        assertThat(new McNemar(3, 5).discordant()).isEqualTo(8);
    }
}
