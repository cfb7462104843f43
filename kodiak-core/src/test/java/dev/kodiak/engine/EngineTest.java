package dev.kodiak.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EngineTest {
    @Test
    void openBlasRunsOnTheCallingThreadSoItsSpinningPoolCannotStealTheOpenMpCores() {
        Engine.init();
        // OpenBLAS's default is one thread per core; Engine must have turned its pool off.
        assertThat(Runtime.getRuntime().availableProcessors() == 1 || Engine.blasThreads() == 1)
                .as("OpenBLAS threads after Engine.init(): %d", Engine.blasThreads()).isTrue();
        assertThat(Engine.blasThreads()).isEqualTo(1);
    }

    @Test
    void initKeepsTheConfiguredIntraOpThreads() {
        Engine.init();
        int before = Engine.threads();
        Engine.setThreads(1);
        try {
            assertThat(Engine.threads()).isEqualTo(1);
            assertThat(Engine.blasThreads()).isEqualTo(1);
        } finally {
            Engine.setThreads(before);
        }
    }
}
