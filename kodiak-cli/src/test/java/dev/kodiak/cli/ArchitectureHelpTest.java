package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.models.Architecture;
import dev.kodiak.models.Architectures;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ArchitectureHelpTest {
    @Test
    void theArchHelpNamesEveryArchitectureKodiakBuildsAndNoOther() {
        assertThat(Arrays.stream(ModelOptions.ARCH_NAMES.split(" \\| ")).toList())
                .containsExactlyElementsOf(Architectures.all().stream().map(Architecture::name).toList());
    }
}
