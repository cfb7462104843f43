package dev.kodiak.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import dev.kodiak.vision.predict.Prediction;
import dev.kodiak.vision.predict.Predictor;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Transformer on an embedded {@code local[2]} Spark, against the Predictor on the same files. */
class KodiakPredictorTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path model;
    static Path images;
    static Map<String, Prediction> expected = new HashMap<>();
    static final AtomicInteger tasks = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        model = DemoModel.model();
        images = TestImages.withBadFiles(dir);
        try (Predictor p = Predictor.load(model); var files = Files.walk(images)) {
            for (Path f : files.filter(f -> f.getParent().getFileName().toString().length() > 3
                    && DemoModel.CLASSES.contains(f.getParent().getFileName().toString())).toList()) {
                expected.put(f.toAbsolutePath().toString(), p.predict(f));
            }
        }
        spark = SparkSession.builder().master("local[2]").appName("KodiakPredictorTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskStart(SparkListenerTaskStart taskStart) {
                tasks.incrementAndGet();
            }
        });
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        PredictorCache.clear();
    }

    static Dataset<Row> binaryFiles() {
        return spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                .option("pathGlobFilter", TestImages.GLOB).load(images.toString());
    }

    static String local(String uri) {
        return Path.of(URI.create(uri)).toString();
    }

    @Test
    void everyImageGetsThePredictorsLabelAndProbabilities() {
        List<Row> rows = new KodiakPredictor().setModelPath(model.toString()).setBatchSize(5)
                .transform(binaryFiles().repartition(3)).select("path", "label", "probability", "probabilities",
                        "error").collectAsList();
        assertThat(rows).hasSize(expected.size() + 2); // Spark's file sources skip the empty file
        int checked = 0;
        for (Row r : rows) {
            Prediction want = expected.get(local(r.getString(0)));
            if (want == null) {
                continue;
            }
            checked++;
            assertThat(r.isNullAt(4)).as(r.toString()).isTrue();
            assertThat(r.getString(1)).isEqualTo(want.label());
            assertThat(r.getDouble(2)).isCloseTo(want.probability(), within(1e-5));
            Map<String, Object> probabilities = r.getJavaMap(3);
            assertThat(probabilities.keySet()).containsExactlyElementsOf(want.probabilities().keySet());
            want.probabilities().forEach((label, p) ->
                    assertThat((Double) probabilities.get(label)).isCloseTo(p, within(1e-5)));
        }
        assertThat(checked).isEqualTo(12);
    }

    @Test
    void badFilesGetNullsAndTheReasonInsteadOfFailingTheJob() {
        Map<String, Row> bad = new HashMap<>();
        for (Row r : new KodiakPredictor().setModelPath(model.toString()).transform(binaryFiles())
                .where(functions.col("error").isNotNull()).select("path", "label", "probability", "probabilities",
                        "error").collectAsList()) {
            bad.put(Path.of(URI.create(r.getString(0))).getFileName().toString(), r);
        }
        assertThat(bad.keySet()).containsExactlyInAnyOrder(TestImages.BROKEN, TestImages.HUGE);
        for (Row r : bad.values()) {
            assertThat(r.isNullAt(1) && r.isNullAt(2) && r.isNullAt(3)).as(r.toString()).isTrue();
            assertThat(r.getString(4)).contains(local(r.getString(0)));
        }
        assertThat(bad.get(TestImages.BROKEN).getString(4)).contains("not an image");
        assertThat(bad.get(TestImages.HUGE).getString(4)).contains("20,000x20,000 pixels");
    }

    @Test
    void thePredictorIsLoadedOncePerJvmWhateverThePartitions() {
        PredictorCache.clear();
        int before = PredictorCache.created();
        long n = new KodiakPredictor().setModelPath(model.toString()).setBatchSize(3)
                .transform(binaryFiles().repartition(4)).where(functions.col("label").isNotNull()).count();
        assertThat(n).isEqualTo(12);
        assertThat(PredictorCache.created() - before).isEqualTo(1); // the driver's check; 4 tasks on 2 threads reuse it
    }

    /** predictorScope=taskThread: each task thread loads its own (none is shared with the driver's); same answers. */
    @Test
    void withTaskThreadScopeEachTaskThreadLoadsItsOwnPredictorOnce() {
        PredictorCache.clear();
        int before = PredictorCache.created();
        List<Row> rows = new KodiakPredictor().setModelPath(model.toString()).setBatchSize(3)
                .setPredictorScope(KodiakPredictor.TASK_THREAD).transform(binaryFiles().repartition(4))
                .where(functions.col("label").isNotNull()).select("path", "label", "probability").collectAsList();
        assertThat(rows).hasSize(12);
        for (Row r : rows) {
            assertThat(r.getDouble(2)).isCloseTo(expected.get(local(r.getString(0))).probability(), within(1e-5));
        }
        // the driver's check, then one per task thread that ran a task: Spark's pool may give each of the 4 tasks a
        // thread of its own, or reuse one
        assertThat(PredictorCache.created() - before).isBetween(2, 5);
    }

    @Test
    void readsPathColumnsAndSparksImageStructToo() throws IOException {
        List<String> files;
        try (var walk = Files.walk(images)) {
            files = walk.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".txt")).map(Path::toString)
                    .toList();
        }
        Dataset<Row> paths = spark.createDataset(files, Encoders.STRING()).toDF("path");
        Map<String, Row> byPath = new HashMap<>();
        for (Row r : new KodiakPredictor().setModelPath(model.toString()).setInputCol("path").transform(paths)
                .collectAsList()) {
            byPath.put(r.getAs("path"), r);
        }
        assertThat(byPath).hasSize(15);
        expected.forEach((file, p) -> {
            assertThat(byPath.get(file).<String>getAs("label")).isEqualTo(p.label());
            assertThat(byPath.get(file).<Double>getAs("probability")).isCloseTo(p.probability(), within(1e-5));
        });
        assertThat(byPath.get(images.resolve("bad").resolve(TestImages.EMPTY).toString()).<String>getAs("error"))
                .endsWith("it is empty (0 bytes)");

        Dataset<Row> structs = spark.read().format("image").option("dropInvalid", "true").option("recursiveFileLookup",
                "true").load(images.resolve("animals").toString());
        List<Row> rows = new KodiakPredictor().setModelPath(model.toString()).setInputCol("image").transform(structs)
                .select(functions.col("image.origin"), functions.col("label"), functions.col("error")).collectAsList();
        assertThat(rows).hasSize(4);
        for (Row r : rows) {
            assertThat(r.isNullAt(2)).as(r.toString()).isTrue();
            assertThat(r.getString(1)).isIn(DemoModel.CLASSES);
        }
    }

    @Test
    void aPipelineWithThePredictorSavesAndLoads() throws IOException {
        KodiakPredictor stage = new KodiakPredictor().setModelPath(model.toString()).setBatchSize(7)
                .setThreadsPerTask(2);
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {stage}).fit(binaryFiles());
        Path saved = dir.resolve("pipeline");
        fitted.write().save(saved.toString());
        PipelineModel loaded = PipelineModel.load(saved.toString());
        KodiakPredictor back = (KodiakPredictor) loaded.stages()[0];
        assertThat(back.uid()).isEqualTo(stage.uid());
        assertThat(back.getModelPath()).isEqualTo(model.toString());
        assertThat(back.getBatchSize()).isEqualTo(7);
        assertThat(back.getThreadsPerTask()).isEqualTo(2);
        assertThat(back.getPrecision()).isEqualTo("fp32");
        assertThat(back.getInputCol()).isEqualTo("content");
        List<Row> rows = loaded.transform(binaryFiles()).where(functions.col("error").isNull())
                .select("path", "label").collectAsList();
        assertThat(rows).hasSize(12);
        rows.forEach(r -> assertThat(r.getString(1)).isEqualTo(expected.get(local(r.getString(0))).label()));
    }

    @Test
    void aMissingOrTamperedModelFailsOnTheDriverBeforeAnyTask() throws Exception {
        Dataset<Row> files = binaryFiles();
        Path tampered = dir.resolve("tampered.kodiak");
        byte[] bytes = Files.readAllBytes(model);
        bytes[bytes.length / 2] ^= 0x5a; // inside the weights: their SHA-256 no longer matches the manifest
        Files.write(tampered, bytes);
        spark.sparkContext().listenerBus().waitUntilEmpty();
        int tasksBefore = tasks.get();
        assertThatThrownBy(() -> new KodiakPredictor().setModelPath(dir.resolve("nope.kodiak").toString())
                .transform(files)).isInstanceOf(KodiakException.class).hasMessageContaining("nope.kodiak")
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> new KodiakPredictor().setModelPath(tampered.toString()).transform(files))
                .isInstanceOf(KodiakException.class).hasMessageContaining(tampered.toString());
        assertThatThrownBy(() -> new KodiakPredictor().transform(files)).hasMessageContaining("modelPath");
        assertThatThrownBy(() -> new KodiakPredictor().setModelPath(model.toString()).setInputCol("length")
                .transform(files)).hasMessageContaining("'length'").hasMessageContaining("binary");
        spark.sparkContext().listenerBus().waitUntilEmpty();
        assertThat(tasks.get()).isEqualTo(tasksBefore);
    }

    @Test
    void theSqlFunctionPredictsOneImage() {
        KodiakFunctions.register(spark);
        binaryFiles().createOrReplaceTempView("images");
        List<Row> rows = spark.sql("SELECT path, kodiak_predict('" + model + "', content) AS p FROM images")
                .select("path", "p.label", "p.probability", "p.error").collectAsList();
        assertThat(rows).hasSize(14);
        for (Row r : rows) {
            Prediction want = expected.get(local(r.getString(0)));
            if (want == null) {
                assertThat(r.getString(3)).isNotBlank();
            } else {
                assertThat(r.getString(1)).isEqualTo(want.label());
                assertThat(r.getDouble(2)).isCloseTo(want.probability(), within(1e-5));
            }
        }
    }
}
