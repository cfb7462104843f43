package dev.kodiak.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kodiak bench ...}: measured speed, always against a baseline taken in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (speed is measured here, never asserted in tests).",
        subcommands = {PipelineBenchCommand.class, ModelBenchCommand.TrainStep.class, ModelBenchCommand.Infer.class,
                FineTuneBenchCommand.class, ServeBenchCommand.class, BenchMachine.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a benchmark: pipeline, train-step, infer, fine-tune or serve (or cpu: the machine)");
    }
}
