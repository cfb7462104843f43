package dev.kodiak.cli;

import picocli.CommandLine.Option;

/**
 * {@code --json} of every verb that can answer in JSON (see {@link Output}). Verbs whose JSON says something more
 * specific keep their own help line in {@code OptionHelp.properties}, under the key {@code kodiak.VERB.json}.
 */
final class JsonOption {
    @Option(names = "--json", description = "Print one JSON object on stdout (see docs/cli-json.md).")
    boolean on;
}
