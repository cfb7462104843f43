package dev.kodiak.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one place tests decide to skip. A test that needs a peer program (Debian's PyTorch for interop checks,
 * headless Chromium for the pages) skips, saying what is missing, on a developer's machine without it; in CI
 * ({@code CI=true}, or {@code -Dkodiak.requirePeers=true}, which {@code .ci/run} passes) the same missing peer fails
 * the test instead, so an interop check can never pass by silently not running. Only what no package can provide
 * (the CPU's instruction set) may skip everywhere, through {@link #assumeMachine}.
 */
public final class Peers {
    /** The system property that makes missing peers fail (also implied by the environment variable CI=true). */
    public static final String REQUIRE_PROPERTY = "kodiak.requirePeers";

    private Peers() {
    }

    /** Whether missing peers fail instead of skipping: in CI, or when asked for with the system property. */
    public static boolean required() {
        return Boolean.getBoolean(REQUIRE_PROPERTY) || "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Skips the calling test unless {@code available}; in CI fails it. {@code what} names the peer, {@code install}
     * says how to get it (e.g. the apt-get command).
     */
    public static void assume(boolean available, String what, String install) {
        if (!present(available, what, install)) {
            Assumptions.abort(what + " is not installed, test skipped (" + install + ")");
        }
    }

    /**
     * For a part of a test that needs a peer: whether it is {@code available}; in CI a missing one fails the test.
     */
    public static boolean present(boolean available, String what, String install) {
        if (!available && required()) {
            Assertions.fail(what + " is missing, and this build requires every peer (CI=true or -D"
                    + REQUIRE_PROPERTY + "=true) so that no interop or browser test is skipped: " + install);
        }
        return available;
    }

    /** Skips the calling test, everywhere, unless this machine has what it needs (hardware no package provides). */
    public static void assumeMachine(boolean capable, String reason) {
        Assumptions.assumeTrue(capable, reason);
    }
}
