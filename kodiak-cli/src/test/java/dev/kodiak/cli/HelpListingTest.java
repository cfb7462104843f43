package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every verb's {@code --help}, word for word, against the listing recorded before the options moved into mixins
 * ({@code help-listing.txt}): flags, defaults, parameter labels and help text are what users and scripts rely on.
 * On a difference the current listing is in {@code target/help-listing.txt}. An option added or changed on purpose:
 * re-record with {@code -Dkodiak.help.record=true} and review the diff.
 */
class HelpListingTest {
    private static final String LISTING = "help-listing.txt";

    @Test
    void everyVerbListsTheSameOptionsAsRecorded() throws IOException {
        String now = listing();
        if (Boolean.getBoolean("kodiak.help.record")) {
            Files.writeString(Path.of("src/test/resources/dev/kodiak/cli", LISTING), now, StandardCharsets.UTF_8);
        }
        String recorded;
        try (InputStream in = HelpListingTest.class.getResourceAsStream(LISTING)) {
            assertThat(in).as("recorded listing " + LISTING).isNotNull();
            recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path current = Path.of("target", LISTING); // to diff against the record
        if (now.equals(recorded)) {
            Files.deleteIfExists(current);
        } else {
            Files.writeString(current, now, StandardCharsets.UTF_8);
        }
        assertThat(now).isEqualTo(recorded);
    }

    /**
     * picocli formats every description as a {@code String.format} pattern: a lone {@code %} ("95% of") fails, and
     * then picocli prints a warning beside the usage a user sees after a wrong option. No usage may warn.
     */
    @Test
    void noUsageMessageMakesPicocliWarn() {
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = System.err;
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            listing();
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
    }

    /** The usage text of {@code kodiak} and of every verb under it, depth first, each under its full name. */
    static String listing() {
        StringBuilder out = new StringBuilder();
        append(Main.commandLine(), out);
        return out.toString();
    }

    private static void append(CommandLine cli, StringBuilder out) {
        out.append("=== ").append(cli.getCommandSpec().qualifiedName()).append('\n');
        out.append(cli.getUsageMessage(CommandLine.Help.Ansi.OFF));
        for (CommandLine sub : cli.getSubcommands().values()) {
            append(sub, out);
        }
    }
}
