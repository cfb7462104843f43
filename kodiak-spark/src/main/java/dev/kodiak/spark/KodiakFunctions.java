package dev.kodiak.spark;

import dev.kodiak.model.Manifest;
import dev.kodiak.vision.ImageDecoder;
import dev.kodiak.vision.predict.Predictor;
import dev.kodiak.vision.predict.PredictorOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Kodiak's SQL function: {@code kodiak_predict(model, content)} gives a struct with every task's columns
 * ({@link TaskColumns}; those of other tasks stay null) and {@code error}:
 * <pre>{@code
 * KodiakFunctions.register(spark);
 * spark.sql("SELECT path, kodiak_predict('hdfs:///models/bears.kodiak', content).* FROM binaryFile.`/photos`");
 * }</pre>
 * A SQL function is called once per row, so it predicts one image per forward pass; for throughput use
 * {@link KodiakPredictor}, which predicts micro-batches. The model is read and loaded once per JVM, as there; a bad
 * model fails the query on its first row.
 */
public final class KodiakFunctions {
    /** The function's name in SQL. */
    public static final String PREDICT = "kodiak_predict";

    private static final List<TaskColumns> TASKS = List.of(TaskColumns.of(Manifest.SINGLE_LABEL),
            TaskColumns.of(Manifest.MULTI_LABEL), TaskColumns.of(Manifest.REGRESSION));

    private KodiakFunctions() {
    }

    /** Registers {@code kodiak_predict} in {@code spark}'s session. */
    public static void register(SparkSession spark) {
        spark.udf().register(PREDICT, (UDF2<String, byte[], Row>) KodiakFunctions::predict, resultType());
    }

    /** The struct {@code kodiak_predict} returns: the columns of every task, by name, {@code error} last. */
    public static StructType resultType() {
        Map<String, StructField> fields = new LinkedHashMap<>();
        for (TaskColumns task : TASKS) {
            for (StructField f : task.fields()) {
                if (!f.name().equals(TaskColumns.ERROR)) {
                    fields.putIfAbsent(f.name(), f);
                }
            }
        }
        List<StructField> all = new ArrayList<>(fields.values());
        all.add(TASKS.get(0).fields().get(TASKS.get(0).fields().size() - 1));
        return new StructType(all.toArray(StructField[]::new));
    }

    private static Row predict(String model, byte[] content) {
        StructType type = resultType();
        PartitionPredictor.TaskThreads.use(1);
        PredictorOptions options = PredictorOptions.defaults().maxBatch(1);
        ModelSource.Local local = ModelSource.resolveOnce(model);
        Predictor predictor = PredictorCache.get(local.sha256(), model, local::file, options);
        TaskColumns columns = TaskColumns.of(predictor.task());
        Object[] values;
        try {
            if (content == null || content.length == 0) {
                throw new dev.kodiak.KodiakException("cannot read image: content is " + (content == null ? "null"
                        : "empty (0 bytes)"));
            }
            values = columns.values(predictor.predict(ImageDecoder.withLimits(options.limits())
                    .decode(new java.io.ByteArrayInputStream(content), "content")));
        } catch (RuntimeException e) {
            values = columns.failed(PartitionPredictor.reason(e));
        }
        Object[] row = new Object[type.size()];
        List<String> names = columns.names();
        for (int i = 0; i < names.size(); i++) {
            row[type.fieldIndex(names.get(i))] = values[i];
        }
        return RowFactory.create(row);
    }
}
