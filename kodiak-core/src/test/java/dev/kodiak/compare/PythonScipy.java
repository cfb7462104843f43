package dev.kodiak.compare;

import dev.kodiak.io.PythonTorch;
import dev.kodiak.testing.Peers;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Interop tests against scipy: Debian's {@code python3-scipy} under the same {@code /usr/bin/python3} as
 * {@link PythonTorch} (which runs the scripts). Skipped, saying why, where scipy does not import
 * (failed instead in CI, through {@link Peers}).
 */
final class PythonScipy {
    private static Boolean available;

    private PythonScipy() {
    }

    static synchronized void assumeAvailable() {
        if (available == null) {
            try {
                Process p = new ProcessBuilder(PythonTorch.PYTHON, "-c", "import scipy.stats").redirectErrorStream(true)
                        .start();
                p.getInputStream().readAllBytes();
                available = p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                available = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                available = false;
            }
        }
        Peers.assume(available, "scipy (" + PythonTorch.PYTHON + " cannot import scipy.stats)",
                "apt-get install python3-scipy");
    }
}
