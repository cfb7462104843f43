package dev.kodiak.spark;

import dev.kodiak.KodiakException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kodiak batch-predict MODEL INPUT --out OUT}: predicts every image of a folder (recursively) or of a Parquet
 * table with a binary column, on an embedded local Spark or, unchanged, under {@code spark-submit} on a cluster.
 * {@code OUT} is a folder of Spark part files with {@code path} and the columns of the model's task
 * ({@link TaskColumns}); an image that cannot be read gets nulls and its {@code error}.
 */
@Command(name = "kodiak batch-predict", mixinStandardHelpOptions = true,
        description = {"Predict a folder of images (recursively) or a Parquet table of images with a .kodiak model, on "
                + "Apache Spark: an embedded local Spark (--master local[N], default local[*]), or a cluster when run "
                + "by spark-submit. OUT is a folder of Spark part files, one row per image: path, label, probability, "
                + "probabilities, error (null, or why that image has no prediction). See docs/spark.md."})
public final class BatchPredict implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The .kodiak model file (any Hadoop file system path).")
    String model;

    @Parameters(index = "1", paramLabel = "INPUT",
            description = "A folder of images (searched recursively), or a Parquet table (file or folder) with a "
                    + "binary column of encoded images (see --content-col).")
    String input;

    @Option(names = "--out", required = true, paramLabel = "OUT",
            description = "Folder to write (Spark part files); it must not exist yet.")
    String out;

    @Option(names = "--format", defaultValue = "parquet", paramLabel = "parquet|json|csv",
            description = "Output format (default: ${DEFAULT-VALUE}). json: one object per line, "
                    + "{\"path\":..,\"label\":..,\"probability\":..,\"probabilities\":{..},\"error\":null}; csv: "
                    + "probabilities as a JSON string.")
    String format;

    @Option(names = "--master", paramLabel = "MASTER",
            description = "Spark master (default: spark-submit's, else local[*]: every core of this machine).")
    String master;

    @Option(names = "--bs", defaultValue = "64", paramLabel = "N",
            description = "Images per forward pass inside a partition (default: ${DEFAULT-VALUE}).")
    int bs;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions (tasks) to spread the images over (default: one per core of the cluster "
                    + "for a folder; as Spark splits a Parquet table).")
    Integer partitions;

    @Option(names = "--content-col", paramLabel = "C",
            description = "Parquet input: the binary column of encoded images (default: content). Setting it means "
                    + "INPUT is a Parquet table.")
    String contentCol;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the job and returns the exit code; errors print one {@code kodiak:} line. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new BatchPredict());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Throwable cause = e;
            while (!(cause instanceof KodiakException) && cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            cmd.getErr().println("kodiak: " + (cause instanceof KodiakException ? cause.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage()));
            cmd.getErr().flush();
            return cause instanceof KodiakException ? 1 : 70;
        });
        cli.setParameterExceptionHandler((e, given) -> { // as the CLI: what is wrong, near misses, where the help is
            PrintWriter err = e.getCommandLine().getErr();
            err.println("kodiak: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("Try `kodiak batch-predict --help` for its options.");
            err.flush();
            return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws IOException {
        if (!List.of("parquet", "json", "csv").contains(format)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format must be parquet, json or csv, got "
                    + format);
        }
        if (bs < 1 || (partitions != null && partitions < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--bs and --partitions must be at least 1");
        }
        SparkSession.Builder builder = SparkSession.builder().appName("kodiak batch-predict");
        if (master != null) {
            builder.master(master);
        } else if (System.getProperty("spark.master") == null) {
            builder.master("local[*]"); // run by java, not spark-submit
        }
        String effective = master != null ? master : System.getProperty("spark.master", "local[*]");
        if (effective.startsWith("local") && System.getProperty("spark.driver.host") == null) {
            // an embedded Spark talks to itself only: on loopback, not on the machine's first network interface
            builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false");
        }
        builder.config("spark.ui.showConsoleProgress", "false");
        SparkSession spark = builder.getOrCreate();
        try {
            return run(spark);
        } finally {
            spark.stop();
            PredictorCache.clear();
        }
    }

    private int run(SparkSession spark) throws IOException {
        org.apache.hadoop.fs.Path outPath = new org.apache.hadoop.fs.Path(out);
        FileSystem outFs = outPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (outFs.exists(outPath)) {
            throw new KodiakException("--out " + out + " already exists: give a new folder (Spark writes part files "
                    + "into it)");
        }
        long start = System.nanoTime();
        Dataset<Row> images = read(spark);
        boolean folder = List.of(images.columns()).equals(List.of("path"));
        KodiakPredictor predictor = new KodiakPredictor().setModelPath(model).setBatchSize(bs)
                .setInputCol(folder ? "path" : contentCol != null ? contentCol : "content");
        Dataset<Row> predicted = predictor.transform(images);
        List<Column> keep = new ArrayList<>();
        keep.add(List.of(images.columns()).contains("path") ? functions.col("path")
                : functions.lit(null).cast("string").as("path"));
        List<String> given = List.of(images.columns());
        for (StructField f : predicted.schema().fields()) {
            if (!given.contains(f.name())) { // the model task's columns (TaskColumns), error last
                Column c = functions.col(f.name());
                keep.add(format.equals("csv") && !isFlat(f.dataType()) ? functions.to_json(c).as(f.name()) : c);
            }
        }
        Dataset<Row> rows = predicted.select(keep.toArray(Column[]::new));
        var writer = rows.write().format(format);
        if (format.equals("json")) {
            writer = writer.option("ignoreNullFields", "false"); // "error":null on every line, as documented
        } else if (format.equals("csv")) {
            writer = writer.option("header", "true");
        }
        writer.save(out);
        double seconds = (System.nanoTime() - start) / 1e9;
        Row counts = spark.read().format(format).option("header", "true").load(out)
                .agg(functions.count(functions.lit(1)), functions.count(functions.col(TaskColumns.ERROR))).first();
        long total = counts.getLong(0);
        long failed = counts.getLong(1);
        PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "kodiak: %d images in %.1f s (%.1f images/s) on %s; %d could not be predicted "
                        + "(see their error column); wrote %s%n", total, seconds, total / seconds,
                spark.sparkContext().master(), failed, out);
        err.flush();
        return 0;
    }

    // A folder becomes a column of paths that the tasks read (Spark's binaryFile source would skip empty files).
    private Dataset<Row> read(SparkSession spark) throws IOException {
        if (isParquet(spark)) {
            Dataset<Row> table = spark.read().parquet(input);
            return partitions != null ? table.repartition(partitions) : table;
        }
        List<Row> paths = ImageListing.find(input, spark.sparkContext().hadoopConfiguration()).stream()
                .map(p -> RowFactory.create(p)).toList();
        int slices = partitions != null ? partitions : spark.sparkContext().defaultParallelism();
        StructType schema = new StructType().add("path", DataTypes.StringType, false);
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(paths, Math.max(1, Math.min(slices, paths.size()))), schema);
    }

    // A Parquet table: --content-col given, a .parquet file, or a folder of .parquet part files.
    private boolean isParquet(SparkSession spark) throws IOException {
        if (contentCol != null || input.toLowerCase(Locale.ROOT).endsWith(".parquet")) {
            return true;
        }
        org.apache.hadoop.fs.Path in = new org.apache.hadoop.fs.Path(input);
        FileSystem fs = in.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(in)) {
            throw new KodiakException("INPUT " + input + " does not exist: give a folder of images or a Parquet table");
        }
        if (!fs.getFileStatus(in).isDirectory()) {
            throw new KodiakException("INPUT " + input + " is a file: give a folder of images or a Parquet table");
        }
        return fs.globStatus(new org.apache.hadoop.fs.Path(in, "*.parquet")).length > 0;
    }

    private static boolean isFlat(DataType type) {
        return !(type instanceof MapType || type instanceof ArrayType);
    }
}
