package dev.kodiak.cli;

import dev.kodiak.KodiakException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kodiak <verb> ...}: one verb per step of the workflow. */
@Command(name = "kodiak", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Practical deep learning for Java developers: gather, describe, train, interpret, ship.",
        subcommands = {DataCommand.class, TrainCommand.class, LrFindCommand.class, PredictCommand.class,
                InterpretCommand.class, CompareCommand.class, InfoCommand.class, DemoCommand.class,
                ServeCommand.class, CleanCommand.class,
                GatherCommand.class, VerifyCommand.class, WeightsCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the full stack trace of an error.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a verb, e.g. `kodiak data summary`");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(Main::handle);
        return cli;
    }

    // A user error (KodiakException) prints one line; anything else is a bug and says so. --debug adds the trace.
    private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        boolean debug = parsed.hasMatchedOption("--debug")
                || (parsed.subcommand() != null && anyMatched(parsed, "--debug"));
        Throwable cause = e;
        while (!(cause instanceof KodiakException) && cause.getCause() != null && cause != cause.getCause()) {
            cause = cause.getCause();
        }
        if (cause instanceof KodiakException) {
            err.println("kodiak: " + cause.getMessage());
        } else {
            // libtorch's messages carry a C++ backtrace: show its first meaningful line only
            err.println("kodiak: internal error: " + e.getClass().getSimpleName() + ": "
                    + dev.kodiak.engine.NativeErrors.shortMessage(e.getMessage())
                    + " (run again with --debug for the trace, and please report it)");
        }
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return cause instanceof KodiakException ? 1 : 70;
    }

    private static boolean anyMatched(CommandLine.ParseResult parsed, String option) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(option)) {
                return true;
            }
        }
        return false;
    }
}
