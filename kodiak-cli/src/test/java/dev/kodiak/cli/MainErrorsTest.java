package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The last resort: an Error escaping a command is one {@code kodiak:} line and a non-zero exit, not a raw trace. */
class MainErrorsTest {
    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        final Error error;

        Boom(Error error) {
            this.error = error;
        }

        @Override
        public Integer call() {
            throw error;
        }
    }

    private static CliRun run(Error error, String... args) {
        CommandLine cli = Main.commandLine();
        cli.addSubcommand("boom", new Boom(error));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new CliRun(Main.run(cli, args), out.toString(), err.toString());
    }

    @Test
    void aStackOverflowIsOneLineThatNamesTheProblem() {
        CliRun r = run(new StackOverflowError(), "boom");
        assertThat(r.exitCode()).isEqualTo(70);
        assertThat(r.err().strip()).startsWith("kodiak: the input is nested too deeply or refers to itself")
                .doesNotContain("\n").doesNotContain("StackOverflowError").doesNotContain("\tat ");
    }

    @Test
    void runningOutOfMemoryIsOneLineThatSaysWhatToDo() {
        CliRun r = run(new OutOfMemoryError("Java heap space"), "boom");
        assertThat(r.exitCode()).isEqualTo(70);
        assertThat(r.err().strip()).startsWith("kodiak: Kodiak ran out of memory (Java heap space)")
                .contains("-Xmx").doesNotContain("\n");
    }

    @Test
    void anyOtherErrorIsAnInternalErrorLineAndDebugAddsTheTrace() {
        CliRun r = run(new AssertionError("unexpected state"), "boom");
        assertThat(r.exitCode()).isEqualTo(70);
        assertThat(r.err().strip()).isEqualTo("kodiak: internal error: AssertionError: unexpected state (run again "
                + "with --debug for the trace, and please report it)");
        CliRun debug = run(new AssertionError("unexpected state"), "--debug", "boom");
        assertThat(debug.err()).contains("java.lang.AssertionError: unexpected state").contains("\tat ");
    }

    /** A wrong option is a usage error: what is wrong, near misses, where the options are; not the whole usage. */
    @Test
    void aWrongOptionSaysWhatIsWrongAndWhereTheOptionsAreListed() {
        CliRun typo = run(new AssertionError("not run"), "boom", "--epoch", "3");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.err()).startsWith("kodiak: Unknown options: '--epoch', '3'")
                .endsWith("Try `kodiak boom --help` for its options.\n").doesNotContain("Usage:");

        CliRun bad = run(new AssertionError("not run"), "train", "--epochs", "0");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("kodiak: --epochs must be at least 1, got 0\n"
                + "Try `kodiak train --help` for its options.\n");
        CliRun near = run(new AssertionError("not run"), "train", "--epoks", "3");
        assertThat(near.err()).contains("Possible solutions: --epochs");
    }
}
