package dev.kodiak.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.Labels;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.data.Splitters;
import dev.kodiak.engine.Engine;
import dev.kodiak.learn.metrics.Metrics;
import dev.kodiak.testing.RawImageBlock;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedRunsTest {
    @TempDir
    Path dir;

    private static Map<String, Double> metrics(double loss, double error) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("valid_loss", loss);
        m.put("error_rate", error);
        m.put("accuracy", 1 - error);
        return m;
    }

    @Test
    void runsEachSeedOnceInOrderAndSummarisesTheFirstMetricWithTheSampleSd() {
        List<Long> called = new ArrayList<>();
        Map<Long, Double> errors = Map.of(7L, 0.10, 3L, 0.20, 5L, 0.30);
        List<SeedRun> runs = SeedRuns.run(List.of(7L, 3L, 5L), seed -> {
            called.add(seed);
            return metrics(0.5, errors.get(seed));
        });
        assertThat(called).containsExactly(7L, 3L, 5L);
        assertThat(runs).extracting(SeedRun::seed).containsExactly(7L, 3L, 5L);
        assertThat(SeedRuns.firstMetric(runs)).isEqualTo("error_rate");

        SeedSpread s = SeedSpread.of("error_rate", runs);
        assertThat(s.values()).containsExactly(0.10, 0.20, 0.30);
        assertThat(s.mean()).isCloseTo(0.2, within(1e-12));
        assertThat(s.sd()).isCloseTo(0.1, within(1e-12)); // sqrt((0.01 + 0 + 0.01) / (3 - 1)), not / 3
        assertThat(s.min()).isEqualTo(0.10);
        assertThat(s.max()).isEqualTo(0.30);
        assertThat(s.n()).isEqualTo(3);
    }

    @Test
    void oneRunHasNoSdAndOnlyALossLeadsWithTheLoss() {
        List<SeedRun> runs = SeedRuns.run(List.of(1L), seed -> Map.of("valid_loss", 0.7));
        assertThat(SeedRuns.firstMetric(runs)).isEqualTo("valid_loss");
        SeedSpread s = SeedSpread.of("valid_loss", runs);
        assertThat(s.mean()).isEqualTo(0.7);
        assertThat(s.sd()).isNaN();
    }

    @Test
    void seedsAreWholeDistinctNumbersAndAtLeastOne() {
        assertThat(SeedRuns.parse("1, 2,3")).containsExactly(1L, 2L, 3L);
        assertThat(SeedRuns.parse("-4")).containsExactly(-4L);
        assertThatThrownBy(() -> SeedRuns.parse("1,1")).isInstanceOf(KodiakException.class)
                .hasMessageContaining("seed 1 is given twice");
        assertThatThrownBy(() -> SeedRuns.parse("1,x")).hasMessageContaining("'x' in '1,x' is not one");
        assertThatThrownBy(() -> SeedRuns.parse("")).hasMessageContaining("'' in '' is not one");
        assertThatThrownBy(() -> SeedRuns.parse("1,,2")).hasMessageContaining("whole numbers");
        assertThatThrownBy(() -> SeedRuns.run(List.of(), seed -> metrics(1, 1)))
                .hasMessageContaining("at least one seed");
    }

    @Test
    void aRunWithoutTheMetricIsNamed() {
        List<SeedRun> runs = SeedRuns.run(List.of(1L, 2L), seed -> metrics(0.5, 0.1));
        assertThatThrownBy(() -> SeedSpread.of("f1_score", runs)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("seed 1 has no metric 'f1_score'");
    }

    /** A learner whose initialisation and batches follow {@code seed}; the split stays that of seed 42. */
    private Learner learner(long seed) {
        Engine.seed(seed);
        var dls = DataBlock.builder().blocks(new RawImageBlock(), CategoryBlock.create())
                .items(RawImageBlock::find).splitter(Splitters.random(0.25, 42)).label(Labels.parentFolder())
                .build().dataLoaders(dir, LoaderOptions.defaults().withBatchSize(8).withWorkers(1).withSeed(seed));
        Learner learn = Learner.builder(dls, new TinyClassifier(2)).metrics(Metrics.errorRate()).build();
        learn.log(new PrintStream(OutputStream.nullOutputStream()));
        return learn;
    }

    @Test
    void learnersTrainedPerSeedReportTheirLastEpochAndTheSameSeedsRepeatExactly() throws IOException {
        ColourImages.write(dir, 16);
        List<SeedRun> first = SeedRuns.train(List.of(1L, 2L), this::learner, learn -> learn.fitOneCycle(1, 2e-2));
        List<SeedRun> again = SeedRuns.train(List.of(1L, 2L), this::learner, learn -> learn.fitOneCycle(1, 2e-2));
        assertThat(first.get(0).metrics()).containsOnlyKeys("valid_loss", "error_rate");
        assertThat(again).isEqualTo(first);
        assertThat(first.get(0).value("valid_loss")).isNotEqualTo(first.get(1).value("valid_loss"));
        Learner untrained = learner(3);
        try {
            assertThatThrownBy(() -> SeedRuns.finalMetrics(untrained)).hasMessageContaining("has not completed an epoch");
        } finally {
            untrained.dls().close();
        }
    }
}
