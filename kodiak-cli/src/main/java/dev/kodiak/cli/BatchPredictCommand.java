package dev.kodiak.cli;

import dev.kodiak.KodiakException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kodiak batch-predict}: listed and documented here, run by the Spark job's own jar (kodiak-spark), which the
 * {@code ./kodiak} launcher builds and starts for this verb; the CLI itself does not depend on Spark. The options
 * are the job's ({@code dev.kodiak.spark.BatchPredict}); a test in kodiak-spark keeps the two lists equal.
 */
@Command(name = "batch-predict", mixinStandardHelpOptions = true,
        description = {"Predict a folder of images (recursively) or a Parquet table of images with a .kodiak model, on "
                + "Apache Spark: an embedded local Spark (--master local[N], default local[*]), or a cluster when run "
                + "by spark-submit. OUT is a folder of Spark part files, one row per image: path, label, probability, "
                + "probabilities, error (null, or why that image has no prediction). See docs/spark.md.",
                "Runs from the ./kodiak launcher, which builds the Spark job's jar on first use (a few minutes), or "
                        + "under spark-submit with --class dev.kodiak.spark.BatchPredict."})
final class BatchPredictCommand implements Callable<Integer> {
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

    @Override
    public Integer call() {
        throw new KodiakException("batch-predict runs on Spark, in a jar of its own: run it through the ./kodiak "
                + "launcher (it builds kodiak-spark on first use), or with spark-submit --class "
                + "dev.kodiak.spark.BatchPredict kodiak-spark-job.jar MODEL INPUT --out OUT (docs/spark.md)");
    }
}
