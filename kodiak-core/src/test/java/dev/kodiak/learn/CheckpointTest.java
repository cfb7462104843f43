package dev.kodiak.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kodiak.KodiakException;
import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.Labels;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.data.Splitters;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.Tensors;
import dev.kodiak.learn.metrics.Metrics;
import dev.kodiak.model.ModelFile;
import dev.kodiak.testing.ModelDigest;
import dev.kodiak.testing.RawImageBlock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run stopped after a checkpoint and resumed in a fresh learner ends exactly as the uninterrupted run. */
class CheckpointTest {
    @TempDir
    Path dir;
    private Path data;
    // callbacks every run of a test has (the interrupted, the resumed and the uninterrupted one)
    private Consumer<Learner> callbacks = l -> { };

    @BeforeEach
    void makeData() throws IOException {
        data = dir.resolve("data");
        ColourImages.write(data, 24);
    }

    private DataLoaders<RawImageBlock.Raw> dls() {
        return DataBlock.builder().blocks(new RawImageBlock(), CategoryBlock.create())
                .items(RawImageBlock::find).splitter(Splitters.random(0.25, 42)).label(Labels.parentFolder())
                .build().dataLoaders(data, LoaderOptions.defaults().withBatchSize(8).withWorkers(2));
    }

    /** As the CLI builds it on every run, resumed or not: seeded, then weights from the checkpoint if resuming. */
    private Learner learner(DataLoaders<?> dls) {
        Engine.seed(7);
        Learner learn = Learner.builder(dls, new TinyClassifier(2, 0.5)).metrics(Metrics.errorRate()).build();
        learn.log(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        LearnerTest.testWriter(learn);
        callbacks.accept(learn);
        return learn;
    }

    /** Ends the fit after {@code epoch} of {@code phase}, once the checkpoint of that epoch is written. */
    private static Callback stopAfter(String phase, int epoch) {
        return new Callback() {
            @Override
            public int order() {
                return 40; // after Checkpoint (30)
            }

            @Override
            public void afterEpoch(Learner l) {
                if (l.phase().equals(phase) && l.epoch() == epoch) {
                    throw new CancelFitException("stopped as a kill would");
                }
            }
        };
    }

    private record Run(String weightsSha256, List<EpochResult> epochs) {
    }

    private Run uninterrupted(Consumer<Learner> fit) {
        try (var dls = dls()) {
            Learner learn = learner(dls);
            fit.accept(learn);
            return finish(learn, "uninterrupted.kodiak");
        }
    }

    private Run interruptedAndResumed(Consumer<Learner> fit, String phase, int epoch) {
        Path ckpt = dir.resolve("run.kodiak.ckpt");
        try (var dls = dls()) {
            Learner learn = learner(dls);
            learn.addCallback(new Checkpoint(ckpt));
            learn.addCallback(stopAfter(phase, epoch));
            fit.accept(learn);
        }
        try (var dls = dls()) {
            Learner learn = learner(dls);
            learn.resume(ckpt);
            return finish(learn, "resumed.kodiak");
        }
    }

    private Run finish(Learner learn, String name) {
        Path file = dir.resolve(name);
        learn.export(file);
        return new Run(ModelDigest.weightsSha256(file), learn.recorder().epochs());
    }

    private static void assertSameRun(Run resumed, Run uninterrupted) {
        assertThat(resumed.weightsSha256()).isEqualTo(uninterrupted.weightsSha256());
        assertThat(resumed.epochs()).extracting(EpochResult::phase, EpochResult::epoch, EpochResult::trainLoss,
                EpochResult::validLoss, EpochResult::metrics)
                .containsExactlyElementsOf(uninterrupted.epochs().stream().map(e -> org.assertj.core.groups.Tuple.tuple(
                        e.phase(), e.epoch(), e.trainLoss(), e.validLoss(), e.metrics())).toList());
    }

    @Test
    void fitOneCycleStoppedAfterItsFirstEpochResumesToBitIdenticalWeightsAndLosses() {
        Consumer<Learner> fit = l -> l.fitOneCycle(3, 1e-2);
        Run whole = uninterrupted(fit);
        assertThat(whole.epochs()).hasSize(3);
        assertSameRun(interruptedAndResumed(fit, "train", 0), whole);
        // killed after the last checkpoint but before the export: nothing left to train, same model and history
        assertSameRun(interruptedAndResumed(fit, "train", 2), whole);
    }

    @Test
    void fineTuneResumesExactlyFromTheFrozenPhaseAndFromTheMiddleOfTheUnfrozenOne() {
        Consumer<Learner> fit = l -> l.fineTune(3, 1e-2, 1, 100);
        Run whole = uninterrupted(fit);
        assertThat(whole.epochs()).extracting(EpochResult::phase).containsExactly("frozen", "unfrozen", "unfrozen", "unfrozen");
        assertSameRun(interruptedAndResumed(fit, "frozen", 0), whole);
        assertSameRun(interruptedAndResumed(fit, "unfrozen", 1), whole);
    }

    @Test
    void earlyStoppingKeepsCountingAcrossAResume() {
        callbacks = l -> l.addCallback(new EarlyStopping("valid_loss", 10, 1)); // needs a gain of 10: stops after epoch 1
        Consumer<Learner> fit = l -> l.fitOneCycle(4, 1e-3);
        Run whole = uninterrupted(fit);
        assertThat(whole.epochs()).hasSize(2);
        assertSameRun(interruptedAndResumed(fit, "train", 0), whole);
    }

    /** Writes a checkpoint after one epoch of a 3-epoch one-cycle fit and returns it. */
    private Path checkpoint() {
        Path ckpt = dir.resolve("edited.kodiak.ckpt");
        try (var dls = dls()) {
            Learner learn = learner(dls);
            learn.addCallback(new Checkpoint(ckpt));
            learn.addCallback(stopAfter("train", 0));
            learn.fitOneCycle(3, 1e-2);
        }
        return ckpt;
    }

    private static void editState(Path ckpt, Consumer<ObjectNode> edit) {
        ModelFile.Contents c = ModelFile.read(ckpt);
        ObjectNode state = (ObjectNode) c.state().orElseThrow().deepCopy();
        edit.accept(state);
        ModelFile.write(ckpt, c.manifest(), c.weights(), c.optimizer().orElseThrow(), state);
    }

    private void assertRefused(Consumer<ObjectNode> edit, String... expected) {
        Path ckpt = checkpoint();
        editState(ckpt, edit);
        try (var dls = dls()) {
            Learner learn = learner(dls);
            float[] before = Tensors.toFloats(((TinyClassifier) learn.model()).head.weight());
            assertThatThrownBy(() -> learn.resume(ckpt)).isInstanceOf(KodiakException.class)
                    .hasMessageStartingWith("checkpoint " + ckpt + " cannot be resumed: ")
                    .hasMessageContainingAll(expected)
                    .hasMessageContaining("Start the run again without --resume");
            // refused before anything was loaded or trained
            assertThat(learn.recorder().epochs()).isEmpty();
            assertThat(Tensors.toFloats(((TinyClassifier) learn.model()).head.weight())).containsExactly(before);
        }
    }

    @Test
    void anEpochAtOrPastTheEndOrNegativeIsRefused() {
        assertRefused(s -> s.put("epoch", 3), "last completed epoch is 3", "has 3 epoch(s), numbered 0 to 2");
        assertRefused(s -> s.put("epoch", 7), "last completed epoch is 7");
        assertRefused(s -> s.put("epoch", -1), "last completed epoch is -1");
        assertRefused(s -> s.put("epoch", -5), "last completed epoch is -5");
        assertRefused(s -> s.put("epoch", "one"), "its 'epoch' is \"one\", not a whole number");
        assertRefused(s -> s.remove("epoch"), "it has no 'epoch'");
    }

    @Test
    void aMissingOrInvalidRecipeIsRefused() {
        assertRefused(s -> s.remove("recipe"), "no training recipe");
        assertRefused(s -> ((ObjectNode) s.get("recipe")).remove("epochs"), "cannot be resumed: recipe fit_one_cycle has no 'epochs'");
        assertRefused(s -> ((ObjectNode) s.get("recipe")).put("epochs", 0), "fit_one_cycle's epochs must be at least 1, got 0");
        assertRefused(s -> ((ObjectNode) s.at("/recipe/lr_max")).put("hi", "fast"), "'lr_max.hi' is fast, not a number");
        assertRefused(s -> ((ObjectNode) s.at("/recipe/lr_max")).put("lo", -1.0), "recipe fit_one_cycle is invalid",
                "lowest learning rate must be a positive number, got -1.0");
        assertRefused(s -> ((ObjectNode) s.at("/recipe/cycle")).put("pct_start", 3.0), "recipe fit_one_cycle is invalid",
                "pctStart");
        assertRefused(s -> ((ObjectNode) s.get("recipe")).put("name", "fit_two_cycles"), "unknown recipe 'fit_two_cycles'",
                "this Kodiak knows fit, fit_one_cycle and fine_tune");
        assertRefused(s -> ((ObjectNode) s.get("recipe")).put("version", 2), "recipe fit_one_cycle has version 2, but "
                + "this Kodiak reads version 1: upgrade Kodiak");
        assertRefused(s -> ((ObjectNode) s.get("recipe")).put("colour", "red"),
                "recipe fit_one_cycle has a value this Kodiak does not know: 'colour'");
        assertRefused(s -> s.put("phase", "frozen"), "phase is 'frozen', but fit_one_cycle has the phase(s) train");
    }

    @Test
    void aStaleTemporaryFileOfTheCheckpointIsDeletedByTheNextRunAndNothingElse() throws IOException {
        Path ckpt = dir.resolve("run.kodiak.ckpt");
        Path stale = Files.writeString(dir.resolve(".run.kodiak.ckpt8164093517264.tmp"), "half a zip");
        List<Path> others = List.of(dir.resolve(".run.kodiak.ckpt.tmp"), dir.resolve(".run.kodiak.ckpt12x.tmp"),
                dir.resolve(".other.kodiak.ckpt123.tmp"), dir.resolve("run.kodiak.ckpt123.tmp"),
                dir.resolve(".run.kodiak.ckpt123.tmp.keep"), dir.resolve("notes.tmp"));
        for (Path p : others) {
            Files.writeString(p, "not ours");
        }
        Files.createDirectories(dir.resolve(".run.kodiak.ckpt999.tmp")); // a folder: never deleted
        try (var dls = dls()) {
            Learner learn = learner(dls);
            learn.addCallback(new Checkpoint(ckpt));
            learn.fitOneCycle(1, 1e-2);
        }
        assertThat(stale).doesNotExist();
        assertThat(ckpt).exists();
        for (Path p : others) {
            assertThat(p).exists();
        }
        assertThat(dir.resolve(".run.kodiak.ckpt999.tmp")).isDirectory();
    }

    @Test
    void aCheckpointRecordsTheRandomGeneratorAndWhatCallbacksRemember() {
        JsonNode state = ModelFile.read(checkpoint()).state().orElseThrow();
        assertThat(state.get("rng").asText()).isNotEmpty();
        assertThat(state.at("/callbacks/recorder/smoother/count").asLong()).isEqualTo(4); // 36 items / bs 8
        assertThat(state.at("/callbacks/recorder/epochs")).hasSize(1);
    }

    @Test
    void aCheckpointStoresTheRecipeByNameAndResumeRestoresIt() {
        Path ckpt = dir.resolve("ft.kodiak.ckpt");
        Recipe recipe = new Recipe.FineTune(2, 1e-2, 1, 50, 0.4, 6, 0.02);
        try (var dls = dls()) {
            Learner learn = learner(dls);
            learn.addCallback(new Checkpoint(ckpt));
            learn.addCallback(stopAfter("unfrozen", 0));
            learn.run(recipe);
        }
        JsonNode state = ModelFile.read(ckpt).state().orElseThrow();
        assertThat(state.get("recipe").toString()).isEqualTo("{\"name\":\"fine_tune\",\"version\":1,\"epochs\":2,"
                + "\"base_lr\":0.01,\"freeze_epochs\":1,\"lr_mult\":50.0,\"pct_start\":0.4,\"div\":6.0,\"wd\":0.02}");
        assertThat(state.get("phase").asText()).isEqualTo("unfrozen");
        try (var dls = dls()) {
            Learner learn = learner(dls);
            learn.resume(ckpt);
            assertThat(learn.recipe()).isEqualTo(recipe);
            assertThat(learn.recorder().epochs()).extracting(EpochResult::phase, EpochResult::epoch).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("frozen", 0), org.assertj.core.groups.Tuple.tuple("unfrozen", 0),
                    org.assertj.core.groups.Tuple.tuple("unfrozen", 1));
            assertThat(learn.optimizer().wd(0)).isEqualTo(0.02);
        }
    }

    /**
     * Checkpoints of format version 1 (src/test/resources/dev/kodiak/learn/v1-*.ckpt, written by Kodiak before typed
     * recipes with this test's learner and data, plus EarlyStopping(valid_loss, 0, 5)): they resume, with their
     * recipe read from its old form, to the weights and history of a run that was never interrupted.
     */
    @Test
    void checkpointsOfFormatVersionOneResumeToTheUninterruptedRun() throws IOException {
        callbacks = l -> l.addCallback(new EarlyStopping("valid_loss", 0, 5));
        Object[][] cases = {{"v1-fit-one-cycle.kodiak.ckpt", Recipe.fitOneCycle(3, 1e-2)},
                {"v1-fine-tune.kodiak.ckpt", Recipe.fineTune(3, 1e-2, 1, 100)}};
        for (Object[] c : cases) {
            Recipe recipe = (Recipe) c[1];
            Path old = dir.resolve((String) c[0]);
            try (var in = CheckpointTest.class.getResourceAsStream((String) c[0])) {
                Files.copy(in, old);
            }
            assertThat(ModelFile.read(old).manifest().formatVersion()).isEqualTo(1);
            Run whole = uninterrupted(l -> l.run(recipe));
            try (var dls = dls()) {
                Learner learn = learner(dls);
                learn.resume(old);
                assertThat(learn.recipe()).isEqualTo(recipe);
                assertSameRun(finish(learn, "resumed-" + c[0] + ".kodiak"), whole);
            }
        }
    }
}
