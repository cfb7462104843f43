package dev.kodiak.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrecisionChoiceTest {
    static final CpuFeatures EPYC = new CpuFeatures("AMD EPYC 7B13", Set.of("avx", "avx2", "fma"));
    static final CpuFeatures GENOA = new CpuFeatures("AMD EPYC 9454", Set.of("avx2", "avx512f", "avx512_bf16"));
    static final CpuFeatures SAPPHIRE = new CpuFeatures("Intel Xeon Platinum 8481C",
            Set.of("avx2", "avx512f", "avx512_bf16", "amx_tile", "amx_bf16"));

    @Test
    void autoIsBf16OnlyWithBf16Hardware() {
        assertThat(PrecisionChoice.of(Precision.AUTO, EPYC).bf16()).isFalse();
        assertThat(PrecisionChoice.of(Precision.AUTO, GENOA).bf16()).isTrue();
        assertThat(PrecisionChoice.of(Precision.AUTO, SAPPHIRE).bf16()).isTrue();
        assertThat(PrecisionChoice.of(Precision.AUTO, new CpuFeatures(null, Set.of())).bf16()).isFalse();
    }

    @Test
    void autoSaysWhatItChoseAndWhy() {
        assertThat(PrecisionChoice.of(Precision.AUTO, EPYC).summary()).isEqualTo("precision auto → fp32: this CPU "
                + "(AMD EPYC 7B13) has no AVX512_BF16/AMX-BF16, where bf16 would be emulated and several times slower");
        assertThat(PrecisionChoice.of(Precision.AUTO, SAPPHIRE).summary()).isEqualTo("precision auto → bf16: this "
                + "CPU (Intel Xeon Platinum 8481C) has AMX-BF16, so bf16 autocast runs in hardware (weights stay float32)");
        assertThat(PrecisionChoice.of(Precision.AUTO, EPYC).warning()).isEmpty();
    }

    @Test
    void explicitChoicesAreHonouredAndEmulatedBf16IsWarnedAbout() {
        PrecisionChoice emulated = PrecisionChoice.of(Precision.BF16, EPYC);
        assertThat(emulated.bf16()).isTrue();
        assertThat(emulated.warning()).hasValueSatisfying(w -> assertThat(w)
                .contains("AMD EPYC 7B13 lacks AVX-512 BF16 and AMX-BF16").contains("bf16 is emulated")
                .contains("several times slower").contains("--precision fp32"));
        assertThat(PrecisionChoice.of(Precision.BF16, GENOA).warning()).isEmpty();
        assertThat(PrecisionChoice.of(Precision.FP32, SAPPHIRE).bf16()).isFalse();
        assertThat(PrecisionChoice.of(Precision.FP32, EPYC).warning()).isEmpty();
        assertThat(PrecisionChoice.of(Precision.FP32, EPYC).summary()).isEqualTo("precision fp32 (float32, as asked)");
    }

    @Test
    void parsesWhatTheCommandLineSays() {
        assertThat(Precision.parse("AUTO")).isEqualTo(Precision.AUTO);
        assertThat(Precision.parse(" bf16")).isEqualTo(Precision.BF16);
        assertThatThrownBy(() -> Precision.parse("fp16")).isInstanceOf(KodiakException.class)
                .hasMessage("unknown precision 'fp16': use fp32, bf16 or auto");
        assertThatThrownBy(() -> new PrecisionChoice(Precision.FP32, true, EPYC))
                .isInstanceOf(KodiakException.class);
    }
}
