package dev.kodiak.cli;

import dev.kodiak.data.DataBlock;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.learn.Learner;
import dev.kodiak.learn.LrFindResult;
import dev.kodiak.learn.lrfind.Suggestion;
import dev.kodiak.vision.learn.LrFindPlot;
import dev.kodiak.vision.learn.PretrainedChoice;
import dev.kodiak.vision.learn.VisionLearner;
import dev.kodiak.vision.learn.VisionLearnerOptions;
import dev.kodiak.models.Architectures;
import dev.kodiak.vision.transforms.Resize;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kodiak lr-find}: fastai's learning-rate finder, with its suggestions and the curve as a PNG. */
@Command(name = "lr-find", mixinStandardHelpOptions = true,
        description = "Sweep the learning rate from 1e-7 to 10 over at most 100 batches, suggest one, draw the curve. "
                + "The model's weights are put back afterwards.")
final class LrFindCommand implements Runnable {
    @Mixin
    DataOptions data;

    @Mixin
    ModelOptions net;

    @Option(names = "--iterations", defaultValue = "100", description = "Most batches to sweep over (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--out", defaultValue = "lr.png", description = "Where to draw the curve (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    JsonOption json;

    @Mixin
    InputOptions inputs;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        Output o = new Output(spec, json.on);
        Path dir = data.dataDir();
        LoaderOptions options = LoaderOptions.defaults().withBatchSize(net.bs).withSeed(data.seed);
        DataBlock<?> block = inputs.block(data, List.of(Resize.to(net.size)), List.of(), false, data.seed, data.csvData(),
                m -> o.say("%s", m));
        try (DataLoaders<?> dls = block.dataLoaders(dir, options)) {
            Learner learn = VisionLearner.create(dls, Architectures.byName(net.arch), VisionLearnerOptions.defaults()
                    .weights(PretrainedChoice.of(net.weights)).seed(data.seed).warnings(m -> o.warn("%s", m)));
            if (!"none".equals(learn.pretrainedWith())) {
                learn.freeze(); // like fastai after vision_learner: the pretrained body starts frozen
            }
            LrFindResult r = learn.lrFind(1e-7, 10, iterations);
            LrFindPlot.write(r, out);
            var s = r.suggestions();
            Map<String, Object> result = new LinkedHashMap<>();
            for (Suggestion sug : List.of(s.valley(), s.slide(), s.minimum(), s.steep())) {
                if (sug != null) {
                    result.put(sug.method(), sug.lr());
                    o.say("%-8s %.2e", sug.method(), sug.lr());
                }
            }
            result.put("iterations", r.lrs().length);
            result.put("plot", out.toAbsolutePath().toString());
            o.object(result);
            o.say("Swept %d batches; curve written to %s. Use the valley suggestion as --lr.", r.lrs().length, out);
        }
    }
}
