package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The shared option mixins keep each verb's own default. */
class SharedOptionsTest {
    private static <T> T parsed(Class<T> verb, String... args) {
        CommandLine cli = Main.commandLine();
        CommandLine.ParseResult r = cli.parseArgs(args);
        while (r.hasSubcommand()) {
            r = r.subcommand();
        }
        return verb.cast(r.commandSpec().userObject());
    }

    @Test
    void trainingVerbsDefaultToAutoPrecisionAndInferenceVerbsToFp32() {
        assertThat(parsed(TrainCommand.class, "train").precision.given()).isEqualTo("auto");
        assertThat(parsed(FineTuneBenchCommand.class, "bench", "fine-tune").precision.given()).isEqualTo("auto");
        assertThat(parsed(PredictCommand.class, "predict", "m.kodiak", "x.jpg").precision.given()).isEqualTo("fp32");
        assertThat(parsed(ServeCommand.class, "serve", "m.kodiak").precision.given()).isEqualTo("fp32");
        assertThat(parsed(TrainCommand.class, "train", "--precision", "bf16").precision.given()).isEqualTo("bf16");
    }

    @Test
    void jsonIsOffUnlessGiven() {
        assertThat(parsed(InfoCommand.class, "info", "m.kodiak").json.on).isFalse();
        assertThat(parsed(InfoCommand.class, "info", "m.kodiak", "--json").json.on).isTrue();
    }
}
