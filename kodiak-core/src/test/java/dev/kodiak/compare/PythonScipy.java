package dev.kodiak.compare;

import dev.kodiak.io.PythonTorch;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Interop tests against scipy: Debian's {@code python3-scipy} under the same {@code /usr/bin/python3} as
 * {@link PythonTorch} (which runs the scripts). Skipped, saying why, where scipy does not import.
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
        Assumptions.assumeTrue(available, "scipy interop test skipped: " + PythonTorch.PYTHON
                + " cannot import scipy.stats (apt-get install python3-scipy)");
    }
}
