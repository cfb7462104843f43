package dev.kodiak.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.testing.JavaProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ENGINE.md #2: a BatchNorm reachable only from a C++ container is freed by the GC and the next forward reads freed
 * memory. The check runs in a child JVM ({@link KeepAliveMain}): the failure is a SIGSEGV, which in-process would
 * kill the test runner ("forked VM terminated") without saying which test broke; in a child it becomes an ordinary
 * assertion failure with the crash output attached.
 */
class KeepAliveTest {

    @Test
    void modulesInsideContainersSurviveGarbageCollection(@TempDir Path dir) {
        JavaProcess.Result r = child(dir, "kept");
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.value("before")).as(r.describe()).isNotNull().isEqualTo(r.value("after"));
    }

    /** The control: without NativeModule's keep-alive the same program crashes or computes garbage. */
    @Test
    void withoutKeepAliveTheSameProgramBreaks(@TempDir Path dir) {
        JavaProcess.Result r = child(dir, "unkept");
        boolean broken = r.exitCode() != 0 || r.value("before") == null || !r.value("before").equals(r.value("after"));
        assertThat(broken).as("expected a crash or a changed output; " + r.describe()).isTrue();
    }

    private static JavaProcess.Result child(Path dir, String mode) {
        return JavaProcess.of(KeepAliveMain.class)
                // a crash report goes to the temp dir, not into the working tree
                .jvmArgs("-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"), "-XX:-CreateCoredumpOnCrash")
                .args(mode)
                .run();
    }
}
