package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.engine.CpuFeatures;
import dev.kodiak.vision.learn.ModelExport;
import dev.kodiak.models.Architectures;
import dev.kodiak.models.VisionModel;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the commands say about --precision, on CPUs described by injected /proc/cpuinfo files (any host). */
class PrecisionOptionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EPYC = "processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags\t\t: fpu sse4_2 avx fma avx2\n\n";
    private static final String SAPPHIRE = "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Platinum 8481C\n"
            + "flags\t\t: avx avx2 fma avx512f avx512_bf16 amx_tile amx_bf16\n\n";

    @TempDir
    Path dir;

    @AfterEach
    void host() {
        System.clearProperty(CpuFeatures.CPUINFO_PROPERTY);
    }

    private void cpu(String cpuinfo) throws IOException {
        System.setProperty(CpuFeatures.CPUINFO_PROPERTY, Files.writeString(dir.resolve("cpuinfo"), cpuinfo).toString());
    }

    private static CliRun infer(String precision) {
        return CliRun.of("bench", "infer", "--bs", "1", "--size", "32", "--warmup", "0", "--iterations", "1",
                "--threads", "1", "--precision", precision, "--json");
    }

    @Test
    void bf16OnACpuWithoutBf16HardwareIsWarnedAbout() throws IOException {
        cpu(EPYC);
        CliRun run = infer("bf16");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("kodiak: WARNING: bf16 on a CPU without bf16 hardware (AMD EPYC 7B13 lacks "
                + "AVX-512 BF16 and AMX-BF16): bf16 is emulated, expect it to be several times slower than fp32");
        assertThat(run.err()).contains("use fp32 (--precision fp32) instead");
        cpu(SAPPHIRE);
        assertThat(infer("bf16").err()).doesNotContain("WARNING");
    }

    @Test
    void autoSaysWhatItChoseAndWhy() throws IOException {
        cpu(EPYC);
        CliRun epyc = infer("auto");
        assertThat(epyc.err()).contains("precision auto → fp32: this CPU (AMD EPYC 7B13) has no AVX512_BF16/AMX-BF16")
                .doesNotContain("WARNING");
        assertThat(JSON.readTree(epyc.out().strip()).get("precision").asText()).isEqualTo("fp32");
        cpu(SAPPHIRE);
        CliRun xeon = infer("auto");
        assertThat(xeon.err()).contains("precision auto → bf16: this CPU (Intel(R) Xeon(R) Platinum 8481C) has AMX-BF16");
        assertThat(JSON.readTree(xeon.out().strip()).get("precision").asText()).isEqualTo("bf16");
        assertThat(infer("fp32").err()).doesNotContain("precision auto");
    }

    @Test
    void benchmarksNameTheCpuAndItsVectorAndMatrixFlags() throws IOException {
        cpu(EPYC);
        JsonNode row = JSON.readTree(infer("fp32").out().strip());
        assertThat(row.get("cpu").get("model").asText()).isEqualTo("AMD EPYC 7B13");
        assertThat(row.get("cpu").get("flags").toString()).isEqualTo("{\"avx\":true,\"avx2\":true,\"fma\":true,"
                + "\"avx_vnni\":false,\"avx512f\":false,\"avx512_vnni\":false,\"avx512_bf16\":false,"
                + "\"avx512_fp16\":false,\"amx_tile\":false,\"amx_bf16\":false,\"amx_int8\":false}");
        CliRun human = CliRun.of("bench", "cpu");
        assertThat(human.out().strip()).matches("CPU: AMD EPYC 7B13, \\d+ cores; has avx avx2 fma; lacks avx_vnni "
                + "avx512f avx512_vnni avx512_bf16 avx512_fp16 amx_tile amx_bf16 amx_int8");
    }

    @Test
    void predictWarnsOnStderrAndKeepsStdoutForResults() throws IOException {
        Path model = dir.resolve("m.kodiak");
        VisionModel net = VisionModel.create(Architectures.byName("resnet18"), 2);
        try {
            ModelExport.writeUntrained(net, List.of("a", "b"), 32, model);
        } finally {
            net.release();
        }
        Path image = TestImages.png(dir.resolve("x.png"), 32, Color.RED, 1);
        cpu(EPYC);
        CliRun run = CliRun.of("predict", model.toString(), image.toString(), "--precision", "bf16");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("kodiak: WARNING: bf16 on a CPU without bf16 hardware");
        assertThat(run.out().strip().split("\n")).hasSize(1).allMatch(l -> l.startsWith(image.toString()));
        CliRun auto = CliRun.of("predict", model.toString(), image.toString(), "--precision", "auto");
        assertThat(auto.err()).contains("precision auto → fp32");
        assertThat(CliRun.of("predict", model.toString(), image.toString()).err()).isEmpty(); // fp32, the default
    }
}
