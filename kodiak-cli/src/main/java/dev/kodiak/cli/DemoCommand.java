package dev.kodiak.cli;

import dev.kodiak.KodiakException;
import dev.kodiak.data.TaskKind;
import dev.kodiak.io.DataRoot;
import dev.kodiak.model.Manifest;
import dev.kodiak.model.ModelFile;
import dev.kodiak.vision.demo.DemoTasks;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kodiak demo}: the whole lesson in one command on the embedded data — train (and export), interpret, predict —
 * by running exactly the commands a user would type, and saying where everything went.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The whole workflow in one command on the embedded demo data (750 clip-art images: animals, "
                + "flags, food): train a ResNet-18 and export it, interpret it, predict a few images.",
                "With --input audio the same lesson on sound: 160 one-second clips of four spoken words (data/words4), "
                        + "trained as spectrograms.",
                "Everything goes into the --out folder (default kodiak-demo/). Takes about 20 seconds on a 2-core "
                        + "Intel Xeon with AMX-BF16, about 70 s of training on a 2-core AMD EPYC with AVX2 only (see "
                        + "`kodiak bench cpu`)."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "kodiak-demo",
            description = "Folder for the model, plots and report (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--epochs", defaultValue = "3", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--size", defaultValue = "128", description = "Image size in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--bs", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int bs;

    @Option(names = "--data", paramLabel = "DIR", description = "Use this folder instead of the demo data.")
    Path data;

    @Option(names = "--task", paramLabel = "TASK", defaultValue = "single-label", description = "single-label (the "
            + "clip-art categories) | regression (predict the scale a drawing was pasted at) | multi-label (which "
            + "categories' drawings share a canvas); the last two build their images and labels.csv from the demo "
            + "data into --out first (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--input", paramLabel = "KIND", defaultValue = "image", description = "image (the clip-art) | "
            + "audio (spoken words as spectrograms; single-label only) (default: ${DEFAULT-VALUE}).")
    String input;

    @Option(names = "--items", defaultValue = "300", description = "With --task regression|multi-label: images to "
            + "build (default: ${DEFAULT-VALUE}).")
    int items;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter say = spec.commandLine().getOut();
        TaskKind kind = TaskKind.parse(task);
        boolean audio = audio();
        if (audio && kind != TaskKind.SINGLE_LABEL) {
            throw new KodiakException("--input audio runs the single-label lesson (which word is it?); --task " + task
                    + " is for the clip-art images: leave out one of the two");
        }
        Path dataDir = (data != null ? data : audio ? KodiakHome.demoAudio() : KodiakHome.demoData())
                .toAbsolutePath().normalize();
        List<String> csvFlags = List.of();
        if (kind != TaskKind.SINGLE_LABEL) {
            dataDir = taskData(say, kind, dataDir);
            csvFlags = kind == TaskKind.MULTI_LABEL
                    ? List.of("--csv", "labels.csv", "--valid-col", "is_valid", "--label-delim", " ")
                    : List.of("--csv", "labels.csv", "--valid-col", "is_valid");
        }
        Path model = out.resolve(dataDir.getFileName() + ".kodiak");
        String e = String.valueOf(epochs);
        String s = String.valueOf(size);
        String b = String.valueOf(bs);

        List<String> train = new ArrayList<>(List.of("train", dataDir.toString()));
        train.addAll(csvFlags);
        train.addAll(audio ? List.of("--input", "audio") : List.of("--size", s));
        train.addAll(List.of("--epochs", e, "--bs", b, "--out", model.toString(), "--plots", out.toString()));
        step(say, 1, audio ? "train a sound classifier (spectrograms) and export it"
                : kind == TaskKind.SINGLE_LABEL ? "train a classifier and export it"
                : "train a " + kind + " model and export it", train);
        step(say, 2, "interpret it (where does it go wrong?)",
                List.of("interpret", model.toString(), "--out", out.toString()));
        List<String> predict = new ArrayList<>(List.of("predict", model.toString()));
        predict.addAll(examples(model, dataDir));
        step(say, 3, audio ? "predict a few validation clips" : "predict a few validation images", predict);

        say.println();
        say.println("Done. Everything is in " + out.toAbsolutePath() + ":");
        say.println("  " + model.getFileName() + "   the model (load it with Predictor.load, or `kodiak predict`)");
        say.println("  loss.png, lr.png    training loss and learning-rate schedule");
        switch (kind) {
            case SINGLE_LABEL -> {
                String what = audio ? "clips" : "images";
                say.println("  confusion.png       confusion matrix of the validation " + what);
                say.println("  top-losses.png      the " + what + " the model got most wrong"
                        + (audio ? ", as spectrograms" : ""));
                say.println("  report.json         confusion matrix, per-class precision/recall/F1, error rate with its 95% CI");
            }
            case REGRESSION -> {
                say.println("  scatter.png         predicted vs actual scale, with the identity line");
                say.println("  residuals.png       prediction errors against the actual scale");
                say.println("  top-losses.png      the images with the largest errors");
                say.println("  report.json         mae, rmse, r2, each with its 95% CI");
            }
            default -> {
                say.println("  per-label.png       precision, recall and F1 of each label");
                say.println("  top-losses.png      the images the model got most wrong, predicted and actual label sets");
                say.println("  report.json         accuracy_multi with its 95% CI, f1_samples, f1_macro, per-label numbers");
            }
        }
        say.println(audio ? "Next: `./kodiak predict " + model + " YOUR_CLIP.wav`, or train on your own sounds with "
                + "`./kodiak train DIR` (one sub-folder per label; docs/audio.md)."
                : "Next: `./kodiak predict " + model + " YOUR_IMAGE.jpg`, or train on your own images with "
                + "`./kodiak train DIR` (one sub-folder per label).");
        say.flush();
        return 0;
    }

    private boolean audio() {
        String k = input.trim().toLowerCase(java.util.Locale.ROOT);
        if (!k.equals("image") && !k.equals("audio")) {
            throw new KodiakException("--input must be image or audio, got '" + input + "'");
        }
        return k.equals("audio");
    }

    /** The demo task's images and labels.csv under --out, built from the clip-art categories unless already there. */
    private Path taskData(PrintWriter say, TaskKind kind, Path clipart) {
        Path dir = out.resolve(kind.cliName() + "-data").toAbsolutePath().normalize();
        if (java.nio.file.Files.isRegularFile(dir.resolve("labels.csv"))) {
            say.println("Using the " + kind + " demo data in " + dir);
        } else {
            say.println("Building the " + kind + " demo data (" + items + " images from " + clipart + ") in " + dir);
            DemoTasks.build(kind == TaskKind.REGRESSION ? DemoTasks.Kind.REGRESSION : DemoTasks.Kind.MULTI_LABEL,
                    clipart, dir, items, 42);
        }
        say.flush();
        return dir;
    }

    private void step(PrintWriter say, int n, String what, List<String> args) {
        say.println();
        say.println("== Step " + n + " of 3: " + what);
        say.println("   $ kodiak " + String.join(" ", args));
        say.flush();
        CommandLine cli = Main.commandLine();
        cli.setOut(spec.commandLine().getOut());
        cli.setErr(spec.commandLine().getErr());
        int code = cli.execute(args.toArray(new String[0]));
        if (code != 0) {
            throw new KodiakException("the demo stopped at step " + n + " (`kodiak " + String.join(" ", args)
                    + "` exited with " + code + ", see above)");
        }
    }

    /** One validation image of each of the first three labels (or the first three validation images). */
    private static List<String> examples(Path model, Path dataDir) {
        Manifest m = ModelFile.read(model).manifest();
        List<String> valid = m.trainingData() == null || m.trainingData().validFiles() == null ? List.of()
                : m.trainingData().validFiles();
        Set<String> picked = new LinkedHashSet<>();
        Set<String> labelsSeen = new LinkedHashSet<>();
        for (String rel : valid) {
            String label = Path.of(rel).getParent() == null ? rel : Path.of(rel).getParent().toString();
            if (labelsSeen.add(label) && picked.size() < 3) {
                picked.add(rel);
            }
        }
        for (String rel : valid) {
            if (picked.size() >= 3) {
                break;
            }
            picked.add(rel);
        }
        if (picked.isEmpty()) {
            throw new KodiakException("the model records no validation images to predict");
        }
        DataRoot root = DataRoot.of(dataDir);
        // resolve refuses entries that lead outside the data folder, as interpret does
        return picked.stream().map(rel -> root.resolve(rel).toString()).toList();
    }
}
