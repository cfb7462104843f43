package dev.kodiak.cli;

import dev.kodiak.KodiakException;
import dev.kodiak.serve.CleanCsv;
import dev.kodiak.serve.CleanServer;
import dev.kodiak.vision.predict.Predictor;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kodiak clean DATA_DIR --model MODEL}: review a label's images worst first and fix them, in a browser. */
@Command(name = "clean", mixinStandardHelpOptions = true,
        description = {"Open the data cleaner at http://127.0.0.1:PORT/: pick a label and a split, see its images "
                + "sorted by the model's loss (worst first) with the prediction, and keep, delete or move each one to "
                + "another label.",
                "Changes happen on disk at once: delete moves the file into DATA_DIR/.quarantine/ (nothing is erased; "
                        + "`kodiak verify DATA_DIR --restore` brings everything back), move puts it in the other label's "
                        + "folder. Each change is logged in DATA_DIR/.kodiak-clean.log and \"Undo\" reverses the latest. "
                        + "Listens on 127.0.0.1 only.",
                "A model trained with --csv cleans its CSV instead (the model file records which): relabel edits the "
                        + "item's target cells in the CSV (a label, a set of labels, or numbers), delete also takes its "
                        + "row out, the CSV is copied once to NAME.kodiak-backup before the first change, and undo puts "
                        + "back the row. A CSV outside DATA_DIR is shown read-only."})
final class CleanCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "DATA_DIR", description = "The image folder (one sub-folder per label, or the "
            + "folder of the model's labels CSV).")
    Path dir;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "The .kodiak model that scores the images.")
    Path model;

    @Option(names = "--port", defaultValue = "8081", description = "TCP port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        if (!Files.isDirectory(dir)) {
            throw new KodiakException("data folder " + dir + " does not exist or is not a folder");
        }
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be between 0 and 65535");
        }
        WebLogging.quiet();
        Output o = new Output(spec, false);
        CleanServer server = CleanServer.start(dir, Predictor.load(model), port);
        server.closeOnShutdown();
        if (!server.session().splitKnown()) {
            o.say("Note: %s is not the folder %s was trained on, so every image is listed under 'train'.", dir, model);
        }
        CleanCsv csv = server.session().actions().csv();
        if (csv != null && !csv.editable()) {
            o.say("Note: read-only: %s.", csv.readOnlyReason());
        }
        o.say("Cleaning %s%s with %s at %s  (Ctrl-C to stop)", server.session().actions().root(),
                csv == null ? "" : " (targets in " + csv.name() + ")", model, server.url());
        try {
            server.awaitClose();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
        }
    }
}
