package dev.kodiak.testing;

/**
 * Interop tests against scipy: Debian's {@code python3-scipy} under the same {@code /usr/bin/python3} as
 * {@link PythonTorch} (which runs the scripts). Skipped, saying why, where scipy does not import
 * (failed instead in CI, through {@link Peers}).
 */
public final class PythonScipy {
    private static Boolean available;

    private PythonScipy() {
    }

    /** Skips the calling test unless scipy.stats imports (fails it in CI). */
    public static synchronized void assumeAvailable() {
        if (available == null) {
            available = PythonTorch.imports("scipy.stats");
        }
        Peers.assume(available, "scipy (" + PythonTorch.PYTHON + " cannot import scipy.stats)",
                "apt-get install python3-scipy");
    }
}
