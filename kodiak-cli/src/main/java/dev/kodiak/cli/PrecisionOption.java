package dev.kodiak.cli;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Precision;
import dev.kodiak.engine.PrecisionChoice;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --precision fp32|bf16|auto} of every command: the decision is core's ({@link PrecisionChoice}); this says it
 * out loud on stderr, so that nobody trains 15x slower without knowing why. Each verb words the help line and picks
 * the default for its own work ({@code OptionHelp.properties}: {@code kodiak.VERB.precision} and
 * {@code kodiak.VERB.precision.default}): training and fine-tuning default to {@code auto}, inference to {@code fp32}.
 */
final class PrecisionOption {
    @Option(names = "--precision", paramLabel = "<precision>", description = "fp32 | bf16 | auto (default: fp32).")
    String value;

    // The verb this option is part of, whose help bundle may name another default.
    @Spec(Spec.Target.MIXEE)
    CommandSpec verb;

    /** Decides this option (or the verb's default) for this CPU, as {@link #choose(String, Output)}. */
    PrecisionChoice choose(Output o) {
        return choose(given(), o);
    }

    /** The value given on the command line, or the verb's default. */
    String given() {
        if (value != null) {
            return value;
        }
        CommandLine.Model.Messages help = verb.usageMessage().messages();
        return help == null ? "fp32" : help.getString("precision.default", "fp32");
    }

    /** Decides {@code option} for this CPU; says what {@code auto} chose and why, and warns where bf16 is emulated. */
    static PrecisionChoice choose(String option, Output o) {
        Precision requested = parse(option);
        PrecisionChoice choice = PrecisionChoice.forHost(requested);
        if (requested == Precision.AUTO) {
            o.note(choice.summary());
        }
        choice.warning().ifPresent(w -> o.warn("%s", w));
        return choice;
    }

    /** The option's value, or an error naming it. */
    static Precision parse(String option) {
        try {
            return Precision.parse(option);
        } catch (KodiakException e) {
            throw new KodiakException("unknown --precision '" + option + "': use fp32, bf16 or auto", e);
        }
    }
}
