package dev.kodiak.data;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.StepScope;
import dev.kodiak.engine.Tensors;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.pytorch.Tensor;

/**
 * Runs a {@link DataBlock} step by step on one item and one small batch, reporting what each step produced and,
 * when a step fails, which one and why — the first thing to read when a dataset does not load.
 */
final class DataBlockSummary<X> {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final DataBlock<X> block;
    private final StringBuilder out = new StringBuilder();

    DataBlockSummary(DataBlock<X> block) {
        this.block = block;
    }

    String run(Path source, int batchSize) {
        String step = "collecting items";
        try {
            line("Collecting items from %s", source);
            Datasets ds = block.datasets(source);
            line("  found %d items", ds.items().size());
            step = "splitting";
            line("Splitting with %s: train %d, valid %d, test %d", block.splitter().describe(),
                    ds.split().train().size(), ds.split().valid().size(), ds.split().test().size());
            line("Labelling with %s: %d %s %s", block.labeller().describe(), ds.target().outputs(),
                    ds.target().isIndex() ? "classes" : "outputs", ds.target().vocab());
            int index = ds.split().train().get(0);
            Path item = ds.items().get(index);
            Object label = ds.labels().get(index);
            line("Building one sample from item %d: %s", index, item);
            step = "loading " + item;
            X sample = block.input().load(item);
            line("  load: %s", block.input().describe(sample));
            Rng rng = Rng.of(42, "item", 0, index);
            for (ItemTransform<X> t : block.itemTransforms()) {
                step = t.describe() + " on " + item;
                sample = t.apply(sample, rng, true);
                line("  %s: %s", t.describe(), block.input().describe(sample));
            }
            step = "encoding the label of " + item;
            float[] scratch = new float[Math.max(1, ds.target().outputs())];
            long cls = ds.target().encode(label, scratch);
            line("  label '%s' -> %s", ds.target().caption(label),
                    cls >= 0 ? "class " + cls : Arrays.toString(Arrays.copyOf(scratch, ds.target().outputs())));
            int n = Math.max(1, Math.min(batchSize, ds.split().train().size()));
            step = "building a batch";
            line("Building one batch of %d training items", n);
            LoaderOptions options = LoaderOptions.defaults().withBatchSize(n).withWorkers(1);
            try (DataLoaders<X> dls = block.dataLoaders(ds, options); StepScope scope = StepScope.open()) {
                DataLoader<X> train = dls.train();
                Batch raw = train.withoutBatchTransforms().oneBatch();
                Tensor x = NativeTensors.unwrap(raw.x());
                Tensor y = NativeTensors.unwrap(raw.y());
                line("  collate: x %s %s, y %s %s", Tensors.dtype(x), Arrays.toString(x.shape()),
                        Tensors.dtype(y), Arrays.toString(y.shape()));
                int t = 0;
                for (BatchTransform bt : train.batchTransforms()) {
                    step = bt.describe();
                    x = NativeTensors.unwrap(bt.apply(NativeTensors.wrap(x), Rng.of(42, "batch" + t++, 0, 0), true));
                    line("  %s: %s %s, mean %.4f", bt.describe(), Tensors.dtype(x),
                            Arrays.toString(x.shape()), x.mean().item_float());
                }
            }
            line("OK: every step worked.");
        } catch (KodiakException e) {
            line("FAILED at %s: %s", step, e.getMessage());
        }
        return out.toString();
    }

    private void line(String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
