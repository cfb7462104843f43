package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.vision.predict.PredictorOptions;
import org.junit.jupiter.api.Test;

/** One default batch for predictions, whether from the command line or from Java. */
class PredictBatchDefaultTest {
    @Test
    void predictsBsDefaultIsThePredictorsDefault() {
        String bs = Main.commandLine().getSubcommands().get("predict").getCommandSpec().findOption("--bs").defaultValue();
        assertThat(Integer.parseInt(bs)).isEqualTo(PredictorOptions.defaults().maxBatch())
                .isEqualTo(PredictorOptions.DEFAULT_MAX_BATCH);
        assertThat(CliRun.of("predict", "--help").out()).contains("default: " + PredictorOptions.DEFAULT_MAX_BATCH);
    }
}
