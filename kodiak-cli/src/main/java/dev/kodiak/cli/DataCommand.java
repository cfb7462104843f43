package dev.kodiak.cli;

import picocli.CommandLine.Command;

/** {@code kodiak data ...}: look at a dataset before training on it. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Describe a dataset: counts per split and label, a picture of a batch.",
        subcommands = {DataSummaryCommand.class, ShowBatchCommand.class})
final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a data verb: summary or show-batch");
    }
}
