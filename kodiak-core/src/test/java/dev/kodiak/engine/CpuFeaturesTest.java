package dev.kodiak.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuFeaturesTest {
    static final String EPYC = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            model name\t: AMD EPYC 7B13
            flags\t\t: fpu sse4_2 avx fma avx2 bmi2

            processor\t: 1
            model name\t: AMD EPYC 7B13
            flags\t\t: fpu sse4_2 avx fma avx2 bmi2 avx512f

            """;

    @Test
    void readsTheFirstProcessorsModelAndFlags() {
        CpuFeatures cpu = CpuFeatures.parse(EPYC);
        assertThat(cpu.model()).isEqualTo("AMD EPYC 7B13");
        assertThat(cpu.flags()).containsExactlyInAnyOrder("fpu", "sse4_2", "avx", "fma", "avx2", "bmi2");
        assertThat(cpu.hasNativeBf16()).isFalse();
        assertThat(cpu.bf16Instructions()).isEqualTo("none");
        assertThat(cpu.describe()).isEqualTo("AMD EPYC 7B13; has avx avx2 fma; lacks avx_vnni avx512f avx512_vnni "
                + "avx512_bf16 avx512_fp16 amx_tile amx_bf16 amx_int8");
    }

    @Test
    void amxOrAvx512Bf16IsNativeBf16() {
        assertThat(new CpuFeatures("Xeon", Set.of("avx512f", "AMX_BF16", "amx_tile")).bf16Instructions())
                .isEqualTo("AMX-BF16");
        assertThat(new CpuFeatures("EPYC 9004", Set.of("avx512f", "avx512_bf16")).hasNativeBf16()).isTrue();
        assertThat(new CpuFeatures("EPYC 9004", Set.of("avx512f", "avx512_bf16")).bf16Instructions())
                .isEqualTo("AVX-512 BF16");
        assertThat(new CpuFeatures("Xeon", Set.of("avx512f", "amx_tile")).hasNativeBf16()).isFalse();
        assertThat(new CpuFeatures("Xeon", Set.of("amx_bf16")).vectorMatrixFlags())
                .containsEntry("amx_bf16", true).containsEntry("avx2", false)
                .containsOnlyKeys(CpuFeatures.VECTOR_MATRIX_FLAGS);
    }

    @Test
    void armFeaturesAndMissingLinesAreUnderstood() {
        CpuFeatures arm = CpuFeatures.parse("processor : 0\nFeatures : fp asimd bf16\nCPU part : 0xd40\n");
        assertThat(arm.model()).isEqualTo("unknown CPU");
        assertThat(arm.has("bf16")).isTrue();
        assertThat(arm.hasNativeBf16()).isFalse(); // libtorch's CPU bf16 kernels are x86's
        assertThat(CpuFeatures.parse("").flags()).isEmpty();
    }

    @Test
    void theHostCanBeAnotherMachinesDescription(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("cpuinfo"), EPYC.replace("avx2", "avx2 amx_bf16"));
        String before = System.getProperty(CpuFeatures.CPUINFO_PROPERTY);
        try {
            System.setProperty(CpuFeatures.CPUINFO_PROPERTY, file.toString());
            assertThat(CpuFeatures.host().hasNativeBf16()).isTrue();
            System.setProperty(CpuFeatures.CPUINFO_PROPERTY, dir.resolve("missing").toString());
            assertThat(CpuFeatures.host().model()).startsWith("unknown CPU (");
            assertThat(CpuFeatures.host().flags()).isEmpty();
        } finally {
            if (before == null) {
                System.clearProperty(CpuFeatures.CPUINFO_PROPERTY);
            } else {
                System.setProperty(CpuFeatures.CPUINFO_PROPERTY, before);
            }
        }
    }
}
