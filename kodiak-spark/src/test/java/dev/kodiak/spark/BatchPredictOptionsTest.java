package dev.kodiak.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.cli.Main;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kodiak --help} lists batch-predict with exactly the options the Spark job takes (the CLI only documents it). */
class BatchPredictOptionsTest {
    @Test
    void theClisBatchPredictOffersTheJobsOptions() {
        CommandLine cli = new CommandLine(new Main());
        assertThat(cli.getUsageMessage()).contains("batch-predict");
        CommandSpec documented = cli.getSubcommands().get("batch-predict").getCommandSpec();
        CommandSpec job = new CommandLine(new BatchPredict()).getCommandSpec();
        assertThat(describe(documented)).isEqualTo(describe(job));
        assertThat(String.join(" ", documented.usageMessage().description()))
                .startsWith(String.join(" ", job.usageMessage().description()));
    }

    /** A wrong option or value: what is wrong and where the options are, before any Spark starts; not the usage. */
    @Test
    void aWrongOptionIsOneLineAndWhereTheHelpIs() {
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = System.err;
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        int code;
        int typo;
        try {
            code = BatchPredict.run("m.kodiak", "images", "--out", "out", "--format", "xml");
            typo = BatchPredict.run("m.kodiak", "images", "--out", "out", "--fromat=json");
        } finally {
            System.setErr(err);
        }
        assertThat(code).isEqualTo(2);
        assertThat(typo).isEqualTo(2);
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8))
                .startsWith("kodiak: --format must be parquet, json or csv, got xml\n"
                        + "Try `kodiak batch-predict --help` for its options.\n")
                .contains("kodiak: Unknown option: '--fromat=json'")
                .doesNotContain("Usage:");
    }

    private static List<String> describe(CommandSpec spec) {
        List<String> options = new java.util.ArrayList<>(spec.options().stream().filter(o -> !o.inherited()) // --debug
                .map(o -> String.join(",", o.names()) + " " + o.paramLabel() + " " + o.defaultValue() + " "
                        + o.required() + " " + String.join(" ", o.description())).toList());
        spec.positionalParameters().forEach(p -> options.add(p.index() + " " + p.paramLabel() + " "
                + String.join(" ", p.description())));
        return options;
    }
}
