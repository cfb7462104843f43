package dev.kodiak.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class PeersTest {
    private final String before = System.getProperty(Peers.REQUIRE_PROPERTY);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(Peers.REQUIRE_PROPERTY);
        } else {
            System.setProperty(Peers.REQUIRE_PROPERTY, before);
        }
    }

    @Test
    void aMissingPeerFailsWhenTheBuildRequiresPeers() {
        System.setProperty(Peers.REQUIRE_PROPERTY, "true");
        assertThatThrownBy(() -> Peers.assume(false, "headless Chromium", "apt-get install chromium"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("headless Chromium is missing").hasMessageContaining("apt-get install chromium")
                .hasMessageContaining("-Dkodiak.requirePeers=true");
        assertThatThrownBy(() -> Peers.present(false, "Debian's libtorch", "apt-get install python3-torch"))
                .isInstanceOf(AssertionFailedError.class);
        assertThatCode(() -> Peers.assume(true, "headless Chromium", "apt-get install chromium"))
                .doesNotThrowAnyException();
    }

    @Test
    void aMissingPeerSkipsOnADevelopersMachineButNotInCi() {
        System.setProperty(Peers.REQUIRE_PROPERTY, "false");
        // CI=true in the environment requires peers whatever the property says
        Class<? extends Throwable> expected = "true".equalsIgnoreCase(System.getenv("CI"))
                ? AssertionFailedError.class : TestAbortedException.class;
        assertThatThrownBy(() -> Peers.assume(false, "headless Chromium", "apt-get install chromium"))
                .isInstanceOf(expected).hasMessageContaining("headless Chromium");
    }

    @Test
    void missingHardwareSkipsEvenWhenPeersAreRequired() {
        System.setProperty(Peers.REQUIRE_PROPERTY, "true");
        assertThatThrownBy(() -> Peers.assumeMachine(false, "no bf16 on this CPU"))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("no bf16 on this CPU");
    }
}
