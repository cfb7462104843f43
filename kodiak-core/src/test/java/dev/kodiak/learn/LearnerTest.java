package dev.kodiak.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.Labels;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.data.Splitters;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.StepScope;
import dev.kodiak.engine.Tensors;
import dev.kodiak.learn.metrics.Metrics;
import dev.kodiak.testing.RawImageBlock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearnerTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream table = new ByteArrayOutputStream();

    /** Red-ish vs blue-ish 8×8 images with noise: learnable in a few epochs. */
    @BeforeEach
    void makeData() throws IOException {
        ColourImages.write(dir, 40);
    }

    private DataLoaders<RawImageBlock.Raw> dls(int workers) {
        return dls(workers, 8);
    }

    private DataLoaders<RawImageBlock.Raw> dls(int workers, int bs) {
        return DataBlock.builder().blocks(new RawImageBlock(), CategoryBlock.create())
                .items(RawImageBlock::find).splitter(Splitters.random(0.25, 42)).label(Labels.parentFolder())
                .build().dataLoaders(dir, LoaderOptions.defaults().withBatchSize(bs).withWorkers(workers));
    }

    private Learner learner(DataLoaders<?> dls) {
        Engine.seed(0);
        Learner learn = Learner.builder(dls, new TinyClassifier(2)).metrics(Metrics.errorRate(), Metrics.accuracy()).build();
        learn.log(new PrintStream(table, true, StandardCharsets.UTF_8));
        return learn;
    }

    @Test
    void fitOneCycleLearnsASeparableTaskAndPrintsTheEpochTable() {
        try (var dls = dls(2)) {
            Learner learn = learner(dls);
            learn.fitOneCycle(4, 2e-2);
            List<EpochResult> epochs = learn.recorder().epochs();
            assertThat(epochs).hasSize(4);
            assertThat(epochs.get(3).metrics().get("error_rate")).isLessThanOrEqualTo(0.05);
            assertThat(epochs.get(3).validLoss()).isLessThan(epochs.get(0).validLoss());
            assertThat(epochs.get(3).metrics().get("accuracy")).isEqualTo(1 - epochs.get(3).metrics().get("error_rate"), within(1e-9));
            String out = table.toString(StandardCharsets.UTF_8);
            assertThat(out.lines().findFirst().orElseThrow())
                    .matches("epoch\\s+train_loss\\s+valid_loss\\s+error_rate\\s+accuracy\\s+time");
            assertThat(out.lines().count()).isEqualTo(5);
            ValidationResult v = learn.validate();
            assertThat(v.items()).isEqualTo(20);
            assertThat(v.loss()).isEqualTo(epochs.get(3).validLoss(), within(1e-5));
        }
    }

    @Test
    void fineTuneRunsTheFrozenThenUnfrozenPhasesWithFastaisLearningRates() {
        try (var dls = dls(2)) {
            Learner learn = learner(dls);
            learn.fineTune(2);
            Recorder rec = learn.recorder();
            int perEpoch = dls.train().batchCount(); // 60 train items / 8 = 7 batches
            assertThat(perEpoch).isEqualTo(7);
            // frozen phase: one cycle with lr slice(2e-3): body groups 2e-4, head 2e-3, starting at /25
            assertThat(rec.lrs(2).get(0)).isCloseTo(2e-3 / 25, within(1e-12));
            assertThat(rec.lrs(0).get(0)).isCloseTo(2e-4 / 25, within(1e-12));
            // unfrozen phase: base halved, slice(1e-3/100, 1e-3), div 5
            int u = perEpoch;
            assertThat(rec.lrs(2).get(u)).isCloseTo(1e-3 / 5, within(1e-12));
            assertThat(rec.lrs(1).get(u)).isCloseTo(1e-4 / 5, within(1e-12));
            assertThat(rec.lrs(0).get(u)).isCloseTo(1e-5 / 5, within(1e-12));
            assertThat(rec.moms(0).get(0)).isCloseTo(0.95, within(1e-12));
            assertThat(rec.epochs()).extracting(EpochResult::phase).containsExactly("frozen", "unfrozen", "unfrozen");
            assertThat(rec.epochs()).extracting(EpochResult::epoch).containsExactly(0, 0, 1);
            String out = table.toString(StandardCharsets.UTF_8);
            assertThat(out).contains("phase: frozen").contains("phase: unfrozen");
        }
    }

    @Test
    void frozenGroupsKeepTheirWeightsWhileBatchNormStillTrains() {
        try (var dls = dls(1)) {
            Learner learn = learner(dls);
            TinyClassifier net = (TinyClassifier) learn.model();
            float[] conv1 = Tensors.toFloats(net.conv1.weight());
            float[] bn1 = Tensors.toFloats(net.bn1.weight());
            float[] head = Tensors.toFloats(net.head.weight());
            learn.freeze();
            learn.fit(1, 1e-2);
            assertThat(Tensors.toFloats(net.conv1.weight())).containsExactly(conv1);
            assertThat(Tensors.toFloats(net.bn1.weight())).isNotEqualTo(bn1);
            assertThat(Tensors.toFloats(net.head.weight())).isNotEqualTo(head);
            learn.unfreeze();
            learn.fit(1, 1e-2);
            assertThat(Tensors.toFloats(net.conv1.weight())).isNotEqualTo(conv1);
        }
    }

    @Test
    void earlyStoppingEndsTheFitWhenNothingImproves() {
        try (var dls = dls(2)) {
            Learner learn = learner(dls);
            learn.addCallback(new EarlyStopping("valid_loss", 10.0, 2)); // nothing improves by 10
            learn.fit(10, 1e-3);
            assertThat(learn.recorder().epochs()).hasSize(3);
            assertThat(table.toString(StandardCharsets.UTF_8)).contains("stopping early");
        }
    }

    @Test
    void sameSeedAndOneWorkerGiveTheSameLosses() {
        List<Double> first;
        try (var dls = dls(1)) {
            Learner learn = learner(dls);
            learn.fitOneCycle(2, 1e-2);
            first = learn.recorder().losses();
        }
        try (var dls = dls(1)) {
            Learner learn = learner(dls);
            learn.fitOneCycle(2, 1e-2);
            List<Double> second = learn.recorder().losses();
            assertThat(second).hasSameSizeAs(first);
            for (int i = 0; i < first.size(); i++) {
                assertThat(second.get(i)).isCloseTo(first.get(i), within(1e-6));
            }
        }
    }

    @Test
    void nativeObjectCountStaysFlatOverTwoHundredTrainingBatches() {
        try (var dls = dls(2, 2)) {
            Learner learn = learner(dls);
            long[] counts = new long[2];
            int[] batches = {0};
            learn.addCallback(new Callback() {
                @Override
                public void afterBatch(Learner l) {
                    if (l.training()) {
                        batches[0]++;
                        if (batches[0] == 30) {
                            counts[0] = Pointer.totalCount();
                        }
                        counts[1] = Pointer.totalCount();
                    }
                }
            });
            learn.fit(7, 1e-3); // 7 epochs × 30 batches = 210 training batches
            assertThat(batches[0]).isGreaterThanOrEqualTo(200);
            // a leak of even one handle per step would add ~190 objects; the GC may lower the count, never raise it
            assertThat(counts[1]).isLessThanOrEqualTo(counts[0] + 10);
        }
    }

    @Test
    void lrFindSweepsThenPutsTheWeightsBack() {
        try (var dls = dls(2)) {
            Learner learn = learner(dls);
            TinyClassifier net = (TinyClassifier) learn.model();
            float[] before = Tensors.toFloats(net.conv2.weight());
            float[] bnMean = Tensors.toFloats(net.bn2.running_mean());
            LrFindResult r = learn.lrFind(1e-5, 10, 40);
            assertThat(Tensors.toFloats(net.conv2.weight())).containsExactly(before);
            assertThat(Tensors.toFloats(net.bn2.running_mean())).containsExactly(bnMean);
            // batch i trained at 1e-5 · (10 / 1e-5)^(i / 40), until 40 batches or the smoothed loss passed 4× its best
            int n = r.lrs().length;
            assertThat(r.losses()).hasSize(n);
            for (int i = 0; i < n; i++) {
                assertThat(r.lrs()[i]).isCloseTo(1e-5 * Math.pow(1e6, i / 40.0), within(1e-12 * r.lrs()[i]));
            }
            double best = Arrays.stream(r.losses(), 0, n - 1).min().orElseThrow();
            double last = r.losses()[n - 1];
            assertThat(n == 40 || last > 4 * best || !Double.isFinite(last))
                    .as("stopped after %d of 40 batches without diverging", n).isTrue();
            // the valley is read off the curve without its first 40/10 points (noisy start) and its last 5 (diverging):
            // a point of that stretch, where the loss had fallen below where the sweep began
            int valley = Arrays.binarySearch(r.lrs(), r.suggestions().valley().lr());
            assertThat(valley).isBetween(4, n - 6);
            assertThat(r.suggestions().valley().pointLoss()).isEqualTo(r.losses()[valley]).isLessThan(r.losses()[0]);
        }
    }

    @Test
    void ttaBlendsAugmentedAndPlainPredictionsAndSummaryListsLayers() {
        try (var dls = dls(2)) {
            Learner learn = learner(dls);
            learn.fitOneCycle(2, 2e-2);
            var plain = learn.getPreds(dls.valid());
            var tta = learn.tta();
            assertThat(tta.n()).isEqualTo(plain.n());
            // with no random transforms in this data block the augmented passes equal the plain one
            for (int i = 0; i < plain.outputs().length; i++) {
                assertThat(tta.outputs()[i]).isCloseTo(plain.outputs()[i], within(1e-5f));
            }
            float rowSum = tta.outputs()[0] + tta.outputs()[1];
            assertThat(rowSum).isCloseTo(1f, within(1e-5f));
            learn.freeze();
            String summary = learn.summary();
            assertThat(summary).contains("conv1").contains("frozen").contains("head").contains("input [8, 3, 8, 8] -> output [8, 2]")
                    .contains("total parameters: 840; trainable: 48; frozen: 792");
        }
    }

    @Test
    void saveAndLoadRestoreWeightsAndOptimizerState(@TempDir Path tmp) {
        try (var dls = dls(1)) {
            Learner learn = learner(dls);
            testWriter(learn);
            learn.fit(1, 1e-2);
            Path file = tmp.resolve("state.kodiak");
            learn.save(file);
            TrainedState saved = TrainedState.of(learn);
            assertThat(saved.optimizer()).containsKeys("g0.p0.exp_avg", "g0.p0.exp_avg_sq", "g0.p0.step")
                    .containsEntry("g0.p0.step", List.of(7.0)).containsEntry("g2.p0.step", List.of(7.0)); // 7 steps an epoch
            assertThat(saved.hyper()).containsEntry("g0.lr", 1e-2);

            // a fresh learner (other initial weights, no optimizer state yet) takes all of it
            Engine.seed(1);
            Learner fresh = Learner.builder(dls, new TinyClassifier(2)).build();
            testWriter(fresh);
            assertThat(TrainedState.of(fresh).weights()).isNotEqualTo(saved.weights());
            fresh.load(file);
            TrainedState.of(fresh).assertSameAs(saved);

            // the saving learner, trained on, goes back to the saved point: weights, moments, step counts, lr
            learn.fit(1, 3e-2);
            assertThat(TrainedState.of(learn).weights()).isNotEqualTo(saved.weights());
            assertThat(TrainedState.of(learn).optimizer()).isNotEqualTo(saved.optimizer());
            learn.load(file);
            TrainedState.of(learn).assertSameAs(saved);
        }
    }

    /**
     * What save/load must carry, as plain values compared exactly: every weight and buffer of the model, every
     * optimizer state tensor (per-parameter moments and step counts), and the optimizer's hyper-parameters.
     */
    record TrainedState(Map<String, List<Double>> weights, Map<String, List<Double>> optimizer,
                        Map<String, Double> hyper) {
        static TrainedState of(Learner learn) {
            learn.ensureOptimizer();
            try (StepScope scope = StepScope.open()) {
                Map<String, List<Double>> weights = new TreeMap<>();
                dev.kodiak.engine.ModuleState.of(learn.model().module()).tensors()
                        .forEach(t -> weights.put(t.name(), values(dev.kodiak.engine.TorchTensors.toTensor(t))));
                Map<String, List<Double>> optimizer = new TreeMap<>();
                learn.optimizer().stateDict().forEach((name, t) -> optimizer.put(name, values(dev.kodiak.engine.NativeTensors.unwrap(t))));
                return new TrainedState(weights, optimizer, new TreeMap<>(learn.optimizer().hyperState()));
            }
        }

        void assertSameAs(TrainedState expected) {
            assertThat(optimizer).as("optimizer state").isEqualTo(expected.optimizer);
            assertThat(hyper).as("optimizer hyper-parameters").isEqualTo(expected.hyper);
            assertThat(weights).as("weights").isEqualTo(expected.weights);
        }

        private static List<Double> values(org.bytedeco.pytorch.Tensor t) {
            List<Double> out = new ArrayList<>();
            if (Tensors.dtype(t) == org.bytedeco.pytorch.global.torch.ScalarType.Long) {
                for (long v : Tensors.toLongs(t)) {
                    out.add((double) v);
                }
            } else {
                for (float v : Tensors.toFloats(t)) {
                    out.add((double) v);
                }
            }
            return out;
        }
    }

    static void testWriter(Learner learn) {
        learn.modelWriter(new ModelWriter() {
            @Override
            public dev.kodiak.model.Manifest manifest(Learner l) {
                return dev.kodiak.model.Manifest.of("test", "now", new dev.kodiak.model.Manifest.Model("tiny", null),
                        dev.kodiak.model.Manifest.Input.image(null, List.of(), null),
                        new dev.kodiak.model.Manifest.Output("single_label", List.of("blue", "red"), "cross_entropy",
                                null), new dev.kodiak.model.Manifest.Training(null, l.pretrainedWith(), l.recipe(),
                                null, null, "fp32"));
            }

            @Override
            public dev.kodiak.io.StateDict weights(Learner l) {
                return dev.kodiak.engine.ModuleState.of(l.model().module());
            }
        });
    }

    @Test
    void saveBestModelKeepsTheBestEpochAndCsvLoggerWritesEveryRow(@TempDir Path tmp) throws IOException {
        try (var dls = dls(1)) {
            Learner learn = learner(dls);
            testWriter(learn);
            Path best = tmp.resolve("best.kodiak");
            SaveBestModel saver = new SaveBestModel(best, "valid_loss", true);
            learn.addCallback(saver);
            learn.addCallback(new CsvLogger(tmp.resolve("log.csv")));
            learn.fitOneCycle(3, 2e-2);
            List<EpochResult> epochs = learn.recorder().epochs();
            int bestEpoch = 0;
            for (int e = 1; e < epochs.size(); e++) {
                if (epochs.get(e).validLoss() < epochs.get(bestEpoch).validLoss()) {
                    bestEpoch = e;
                }
            }
            assertThat(saver.bestEpoch()).isEqualTo(bestEpoch);
            assertThat(best).exists();
            assertThat(learn.validate().loss()).isCloseTo(epochs.get(bestEpoch).validLoss(), within(1e-5));
            List<String> rows = Files.readAllLines(tmp.resolve("log.csv"));
            assertThat(rows).hasSize(4);
            assertThat(rows.get(0)).isEqualTo("phase,epoch,train_loss,valid_loss,error_rate,accuracy,seconds");
            assertThat(rows.get(3)).startsWith("train,2,");
        }
    }
}
