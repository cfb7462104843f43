package dev.kodiak.spark;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Precision;
import dev.kodiak.vision.predict.Predictor;
import dev.kodiak.vision.predict.PredictorOptions;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Predicts images with a Kodiak model as a Spark ML {@link Transformer}: it composes in ML Pipelines and saves and
 * loads with them.
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("binaryFile").load("s3a://bucket/photos/");
 * Dataset<Row> scored = new KodiakPredictor().setModelPath("s3a://bucket/bears.kodiak").transform(images);
 * // + label, probability, probabilities, error (single-label models; see TaskColumns for the others)
 * }</pre>
 * The input column ({@code inputCol}, default {@code content}) holds an encoded image (binary, as Spark's
 * {@code binaryFile} source gives), a decoded one (the struct of Spark's {@code image} source) or a path to read
 * (string: any Hadoop file system). The columns added depend on the model's task ({@link TaskColumns}); an item that
 * cannot be read or predicted gets nulls and the reason in {@code error}, and the job goes on.
 *
 * <p>The model ({@code modelPath}: local, HDFS, S3... through Spark's Hadoop configuration) is read and checked on the
 * driver when the schema is computed, so a missing or tampered file fails before any task runs. Executors load it once
 * per JVM (one shared, thread-safe {@link Predictor} per model file's SHA-256 and options; {@code predictorScope}
 * {@value #TASK_THREAD} gives each task thread its own instead, measured no faster: docs/spark.md) and predict
 * micro-batches of {@code batchSize} inside each partition, decoding in the task's thread and running libtorch with
 * {@code threadsPerTask} intra-op threads (default 1: one core per task, as Spark schedules them).
 */
public final class KodiakPredictor extends Transformer implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> modelPath;
    private final Param<String> inputCol;
    private final IntParam batchSize;
    private final Param<String> precision;
    private final IntParam threadsPerTask;
    private final Param<String> predictorScope;

    public KodiakPredictor() {
        this(Identifiable.randomUID("kodiakPredictor"));
    }

    /** With a given uid (how Spark ML loads a saved stage). */
    public KodiakPredictor(String uid) {
        this.uid = uid;
        modelPath = new Param<>(this, "modelPath", "the .kodiak model file: any Hadoop file system path");
        inputCol = new Param<>(this, "inputCol", "the images: binary (encoded file), Spark's image struct, or a path");
        batchSize = new IntParam(this, "batchSize", "images per forward pass (micro-batch inside a partition)",
                ParamValidators.gtEq(1));
        precision = new Param<>(this, "precision", "fp32, bf16 or auto, as kodiak predict --precision",
                ParamValidators.inArray(new String[] {"fp32", "bf16", "auto"}));
        threadsPerTask = new IntParam(this, "threadsPerTask", "libtorch intra-op threads per Spark task",
                ParamValidators.gtEq(1));
        predictorScope = new Param<>(this, "predictorScope", "executor: one predictor per executor JVM, shared by its "
                + "task threads; taskThread: one per task thread (the weights once per thread)",
                ParamValidators.inArray(new String[] {EXECUTOR, TASK_THREAD}));
        setDefault(inputCol, "content");
        setDefault(batchSize, 64);
        setDefault(precision, "fp32");
        setDefault(threadsPerTask, 1);
        setDefault(predictorScope, EXECUTOR);
    }

    /** {@code predictorScope}: one predictor per executor JVM, shared by its task threads (the default). */
    public static final String EXECUTOR = "executor";
    /** {@code predictorScope}: one predictor per task thread. */
    public static final String TASK_THREAD = "taskThread";

    /** Reads a saved stage (Spark ML finds this method by name when a Pipeline loads). */
    public static MLReader<KodiakPredictor> read() {
        return new DefaultParamsReader<>();
    }

    public static KodiakPredictor load(String path) {
        return read().load(path);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> modelPath() {
        return modelPath;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public Param<String> precision() {
        return precision;
    }

    public IntParam threadsPerTask() {
        return threadsPerTask;
    }

    public Param<String> predictorScope() {
        return predictorScope;
    }

    public String getModelPath() {
        return getOrDefault(modelPath);
    }

    public String getInputCol() {
        return getOrDefault(inputCol);
    }

    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    public String getPrecision() {
        return getOrDefault(precision);
    }

    public int getThreadsPerTask() {
        return (Integer) getOrDefault(threadsPerTask);
    }

    public String getPredictorScope() {
        return getOrDefault(predictorScope);
    }

    public KodiakPredictor setPredictorScope(String scope) {
        set(predictorScope, scope);
        return this;
    }

    public KodiakPredictor setModelPath(String path) {
        set(modelPath, path);
        return this;
    }

    public KodiakPredictor setInputCol(String column) {
        set(inputCol, column);
        return this;
    }

    public KodiakPredictor setBatchSize(int n) {
        set(batchSize, n);
        return this;
    }

    public KodiakPredictor setPrecision(String p) {
        set(precision, p);
        return this;
    }

    public KodiakPredictor setThreadsPerTask(int n) {
        set(threadsPerTask, n);
        return this;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return plan(SparkSession.active(), schema, false).outputSchema();
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        Plan plan = plan(dataset.sparkSession(), dataset.schema(), true);
        Dataset<Row> rows = dataset.toDF();
        return rows.mapPartitions(plan.partitions(), Encoders.row(plan.outputSchema()));
    }

    @Override
    public KodiakPredictor copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** The predictor options these params mean on this machine. */
    PredictorOptions options() {
        return PredictorOptions.defaults().maxBatch(getBatchSize()).precision(Precision.parse(getPrecision()));
    }

    // Everything checked on the driver, before any task: params, input column, model file (read, checked, cached).
    private Plan plan(SparkSession spark, StructType schema, boolean ship) {
        if (!isDefined(modelPath)) {
            throw new KodiakException("KodiakPredictor: set modelPath to the .kodiak model file (setModelPath)");
        }
        ItemReader reader = ItemReader.forColumn(schema, getInputCol());
        ModelShipment model = ModelShipment.prepare(spark, getModelPath(), options(), ship);
        TaskColumns columns = TaskColumns.of(model.task());
        List<StructField> fields = new ArrayList<>(List.of(schema.fields()));
        for (StructField added : columns.fields()) {
            if (List.of(schema.fieldNames()).contains(added.name())) {
                throw new KodiakException("KodiakPredictor adds the column '" + added.name() + "', but the input "
                        + "already has one: rename or drop it first");
            }
            fields.add(added);
        }
        StructType out = new StructType(fields.toArray(StructField[]::new));
        return new Plan(out, new PartitionPredictor(model, reader.withHadoop(spark), columns, getBatchSize(),
                getPrecision(), getThreadsPerTask(), TASK_THREAD.equals(getPredictorScope())));
    }

    private record Plan(StructType outputSchema, PartitionPredictor partitions) {
    }
}
