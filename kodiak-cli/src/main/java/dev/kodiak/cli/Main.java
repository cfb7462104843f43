package dev.kodiak.cli;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import java.io.PrintWriter;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kodiak <verb> ...}: one verb per step of the workflow. */
@Command(name = "kodiak", mixinStandardHelpOptions = true, versionProvider = Version.class,
        resourceBundle = "dev.kodiak.cli.OptionHelp",
        description = "Practical deep learning for Java developers: gather, describe, train, interpret, ship.",
        subcommands = {DataCommand.class, TrainCommand.class, LrFindCommand.class, PredictCommand.class,
                BatchPredictCommand.class,
                InterpretCommand.class, CompareCommand.class, InfoCommand.class, ExportCommand.class, DemoCommand.class,
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
        return run(commandLine(), args);
    }

    /**
     * Runs {@code cli} (built by {@link #commandLine()}) and returns the exit code. picocli hands only Exceptions to
     * the execution exception handler; an Error (stack overflow, out of memory) passes through it, so it is caught
     * here as a last resort and also becomes one {@code kodiak:} line instead of a raw trace.
     */
    static int run(CommandLine cli, String... args) {
        try {
            return cli.execute(args);
        } catch (Error e) {
            return handleError(e, cli, args);
        }
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(Main::handle);
        cli.setParameterExceptionHandler(Main::handleUsage);
        cli.setExecutionStrategy(Main::engineFirst);
        return cli;
    }

    /** Verbs that never compute with libtorch start without loading it (and work where it cannot load). */
    private static final Set<Class<?>> WITHOUT_ENGINE = Set.of(Main.class, GatherCommand.class, VerifyCommand.class,
            BatchPredictCommand.class, CommandLine.HelpCommand.class);

    // Every other verb loads libtorch through the engine's one safe initializer before anything else runs: on an
    // empty JavaCPP cache, a first touch of a libtorch class elsewhere crashed the JVM (ENGINE.md: cold cache).
    private static int engineFirst(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult verb = parsed;
        boolean help = parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested();
        while (verb.hasSubcommand()) {
            verb = verb.subcommand();
            help |= verb.isUsageHelpRequested() || verb.isVersionHelpRequested();
        }
        if (!help && !WITHOUT_ENGINE.contains(verb.commandSpec().userObject().getClass())) {
            try {
                Engine.init();
            } catch (KodiakException e) {
                throw new CommandLine.ExecutionException(verb.commandSpec().commandLine(), e.getMessage(), e);
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    // A wrong option or value: what is wrong, near misses of a mistyped option, and where the options are listed
    // (rather than the verb's whole usage, over a hundred lines for train, which buries the one line that matters).
    private static int handleUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("kodiak: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try `" + cmd.getCommandSpec().qualifiedName() + " --help` for its options.");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
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

    private static int handleError(Error e, CommandLine cli, String[] args) {
        PrintWriter err = cli.getErr();
        String what;
        if (e instanceof StackOverflowError) {
            what = "the input is nested too deeply or refers to itself, and Kodiak ran out of stack";
        } else if (e instanceof OutOfMemoryError) {
            what = "Kodiak ran out of memory (" + e.getMessage() + "): the input is larger than Java may use; give "
                    + "it more (e.g. JAVA_TOOL_OPTIONS=-Xmx8g) or use a smaller input";
        } else {
            what = "internal error: " + e.getClass().getSimpleName() + ": "
                    + dev.kodiak.engine.NativeErrors.shortMessage(e.getMessage());
        }
        err.println("kodiak: " + what + " (run again with --debug for the trace, and please report it)");
        if (java.util.Arrays.asList(args).contains("--debug")) {
            e.printStackTrace(err);
        }
        err.flush();
        return 70;
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
