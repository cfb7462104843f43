package dev.kodiak.cli;

import dev.kodiak.data.BatchTransform;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.vision.transforms.Augment;
import dev.kodiak.vision.transforms.Resize;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kodiak data show-batch}: a picture of a training batch with its labels. */
@Command(name = "show-batch", mixinStandardHelpOptions = true,
        description = "Draw a grid of training images as the model will see them, with their labels, to a PNG.")
final class ShowBatchCommand implements Runnable {
    @Mixin
    DataOptions data;

    @Option(names = "--out", paramLabel = "FILE.png", required = true, description = "Where to write the PNG.")
    Path out;

    @Option(names = "--size", paramLabel = "N", defaultValue = "128", description = "Image size in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--rows", paramLabel = "R", defaultValue = "3", description = "Rows (and columns) of the grid (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--augment", description = "Apply the standard training augmentations (flip, rotate, zoom, warp, lighting).")
    boolean augment;

    @Option(names = "--unique", description = "Show one image many times under the augmentations instead of a batch.")
    boolean unique;

    @Mixin
    InputOptions inputs;

    @Mixin
    JsonOption json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        Output o = new Output(spec, json.on);
        if (rows < 1 || rows > 16) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rows must be between 1 and 16, got " + rows);
        }
        if (size < 8 || size > 2048) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--size must be between 8 and 2048, got " + size);
        }
        List<BatchTransform> batch = new ArrayList<>();
        if (augment || unique) {
            batch.add(Augment.standard());
        }
        LoaderOptions options = LoaderOptions.defaults().withBatchSize(Math.max(rows * rows, 1)).withSeed(data.seed);
        Path dir = data.dataDir();
        DataBlock<?> block = inputs.block(data, List.of(Resize.to(size)), batch, augment || unique, data.seed, data.csvData(),
                m -> o.say("%s", m));
        try (DataLoaders<?> dls = block.dataLoaders(dir, options)) {
            List<String> captions = unique ? dls.showUnique(out, rows) : dls.showBatch(out, rows);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("image", out.toAbsolutePath().toString());
            result.put("rows", rows);
            result.put("size", size);
            result.put("augment", augment || unique);
            result.put("vocab", dls.vocab());
            result.put("captions", captions);
            o.object(result);
            String which = unique ? "copies of one" : "training";
            // a kind that fixes its own picture size (sound: spectrograms) ignores --size
            String what = dls.input().encodedSize() == null ? size + " px " + which + " images"
                    : which + " " + dls.input().kind() + " inputs";
            o.say("Wrote %s (%d x %d grid of %s%s).", out, rows, rows, what, augment || unique ? ", augmented" : "");
        }
    }
}
