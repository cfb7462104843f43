package dev.kodiak.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.testing.JavaProcess;
import dev.kodiak.testing.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ENGINE.md #1: on an empty JavaCPP cache, loading libtorch.so before libtorch_cpu.so is unpacked beside it lets the
 * system linker pick up another libtorch (Debian's python3-torch installs one) and the JVM crashes. Each run unpacks
 * the natives (~450 MB) into a fresh cache directory, hence "slow" (about 3 s each here, but disk-heavy).
 * Run with {@code -DexcludedGroups=none} (the module excludes "slow" by default).
 */
@Tag("slow")
class ColdCacheTest {
    private static final Path SYSTEM_TORCH_CPU = Path.of("/usr/lib/x86_64-linux-gnu/libtorch_cpu.so");
    private static final Path SYSTEM_TORCH_CPU_LIB = Path.of("/lib/x86_64-linux-gnu/libtorch_cpu.so");

    @Test
    void engineLoadsFromAnEmptyCacheEvenWithASystemLibtorchInstalled(@TempDir Path dir) throws Exception {
        JavaProcess.Result r = child(dir, "cache-engine", "engine");
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.value("sum")).as(r.describe()).isEqualTo("6.75");
        assertThat(Files.list(dir.resolve("cache-engine")).count()).as("natives were unpacked afresh").isPositive();

        if (Peers.present(Files.exists(SYSTEM_TORCH_CPU) || Files.exists(SYSTEM_TORCH_CPU_LIB),
                "Debian's libtorch (" + SYSTEM_TORCH_CPU + ", the crash's trigger)", "apt-get install python3-torch")) {
            // The control, only meaningful where a system libtorch can be picked up: loading the plain JavaCPP way
            // on an empty cache breaks. If this starts passing, JavaCPP fixed its load order upstream.
            JavaProcess.Result raw = child(dir, "cache-raw", "raw");
            assertThat(raw.exitCode() != 0 || !"6.75".equals(raw.value("sum")))
                    .as("plain Loader.load on a cold cache was expected to break; " + raw.describe()).isTrue();
        }
    }

    private static JavaProcess.Result child(Path dir, String cache, String mode) throws Exception {
        Path cacheDir = Files.createDirectories(dir.resolve(cache));
        return JavaProcess.of(ColdCacheMain.class)
                .jvmArgs("-Dorg.bytedeco.javacpp.cachedir=" + cacheDir,
                        "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"), "-XX:-CreateCoredumpOnCrash")
                .args(mode)
                .timeout(Duration.ofMinutes(3))
                .run();
    }
}
