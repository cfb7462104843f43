package dev.kodiak.compare;

import dev.kodiak.io.PythonTorch;
import dev.kodiak.testing.Peers;

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
            available = PythonTorch.imports("scipy.stats");
        }
        Peers.assume(available, "scipy (" + PythonTorch.PYTHON + " cannot import scipy.stats)",
                "apt-get install python3-scipy");
    }
}
