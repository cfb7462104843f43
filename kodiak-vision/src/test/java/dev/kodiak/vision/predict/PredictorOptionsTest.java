package dev.kodiak.vision.predict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.engine.CpuFeatures;
import dev.kodiak.engine.Precision;
import dev.kodiak.vision.learn.VisionLearnerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Java users get --precision's auto too, decided for the CPU they run on (injected here). */
class PredictorOptionsTest {
    @TempDir
    Path dir;

    @AfterEach
    void host() {
        System.clearProperty(CpuFeatures.CPUINFO_PROPERTY);
    }

    private void cpu(String flags) throws IOException {
        Path file = Files.writeString(dir.resolve("cpuinfo"), "model name\t: Test CPU\nflags\t\t: " + flags + "\n\n");
        System.setProperty(CpuFeatures.CPUINFO_PROPERTY, file.toString());
    }

    @Test
    void autoIsBf16OnlyWhereTheCpuHasBf16Hardware() throws IOException {
        cpu("avx avx2 fma");
        assertThat(PredictorOptions.defaults().precision(Precision.AUTO).bf16()).isFalse();
        assertThat(VisionLearnerOptions.defaults().precision(Precision.AUTO).bf16()).isFalse();
        assertThat(PredictorOptions.defaults().precision(Precision.BF16).bf16()).isTrue();
        cpu("avx2 avx512f avx512_bf16 amx_tile amx_bf16");
        assertThat(PredictorOptions.defaults().precision(Precision.AUTO).bf16()).isTrue();
        assertThat(VisionLearnerOptions.defaults().precision(Precision.AUTO).bf16()).isTrue();
        assertThat(VisionLearnerOptions.defaults().bf16(true).precision(Precision.FP32).bf16()).isFalse();
    }

    @Test
    void defaultsAreFloat32InBatchesOfTheSharedDefault() {
        assertThat(PredictorOptions.defaults().bf16()).isFalse();
        assertThat(PredictorOptions.defaults().maxBatch()).isEqualTo(PredictorOptions.DEFAULT_MAX_BATCH);
    }
}
