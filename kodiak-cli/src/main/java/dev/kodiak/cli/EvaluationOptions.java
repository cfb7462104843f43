package dev.kodiak.cli;

import dev.kodiak.model.Manifest;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code [DIR] --split --all} of the verbs that evaluate models on labelled images ({@code interpret},
 * {@code compare}): which folder, and in it the recorded split or every image ({@link EvaluationData}). Each verb
 * words the help lines its own way ({@code OptionHelp.properties}: {@code kodiak.VERB.dir|split|all}).
 */
final class EvaluationOptions {
    // Unanchored index: DIR follows the verb's own positional parameters (MODEL, or A and B).
    @Parameters(index = "+", arity = "0..1", paramLabel = "DIR", descriptionKey = "dir",
            description = "Data folder (default: the one the model was trained on, if it is still there).")
    Path dir;

    @Option(names = "--split", defaultValue = "valid", description = "valid | test: the model's recorded split to "
            + "evaluate (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--all", description = "Evaluate every labelled image in DIR instead of a recorded split.")
    boolean all;

    @Spec(Spec.Target.MIXEE)
    CommandSpec verb;

    /** Refuses a {@code --split} other than valid or test, as a usage error of the verb. */
    void check() {
        if (!List.of("valid", "test").contains(split)) {
            throw new CommandLine.ParameterException(verb.commandLine(), "--split must be valid or test, got " + split);
        }
    }

    /** DIR if given, else the folder {@code model} was trained on. */
    Path folder(Path model, Manifest m) {
        return EvaluationData.folder(model, m, dir, verb.name());
    }

    /** The labelled images in {@code data} these options select for {@code model}. */
    EvaluationData.Items items(Path model, Manifest m, Path data) {
        return EvaluationData.items(model, m, data, split, all);
    }
}
