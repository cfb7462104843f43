import dev.kodiak.spark.KodiakPredictor;
import dev.kodiak.spark.PredictorCache;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * KodiakPredictor at local[N]: one predictor per executor JVM (predictorScope=executor) against one per task thread
 * (taskThread), the same images (read once, cached in memory, in 2N partitions) through the same Transformer, rounds
 * alternating. Prints each pass's images/s; the first pass of a scope includes loading its predictor(s).
 * Usage: java ... PredictorScope.java MODEL DIR [local[2]] [rounds]   (bench/spark-predictor-scope.sh runs it)
 */
public final class PredictorScope {
    public static void main(String[] args) {
        String model = args[0];
        String dir = args[1];
        String master = args.length > 2 ? args[2] : "local[2]";
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        SparkSession spark = SparkSession.builder().master(master).appName("PredictorScope")
                .config("spark.ui.enabled", "false").getOrCreate();
        int slots = spark.sparkContext().defaultParallelism();
        Dataset<Row> images = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                .option("pathGlobFilter", "*.{png,jpg,jpeg,PNG,JPG,JPEG}").load(dir).repartition(2 * slots).cache();
        long n = images.count();
        System.out.printf("%s, %d slots, %d images in %d partitions, model %s%n", master, slots, n,
                images.rdd().getNumPartitions(), model);
        List<String> scopes = List.of(KodiakPredictor.EXECUTOR, KodiakPredictor.TASK_THREAD);
        for (String scope : scopes) { // cold: loading the predictor(s) included
            PredictorCache.clear();
            System.out.printf("%-10s cold  %7.1f images/s (predictors loaded: %d)%n", scope, pass(model, images, scope, n),
                    PredictorCache.created());
        }
        for (int r = 0; r < rounds; r++) {
            for (String scope : scopes) {
                PredictorCache.clear();
                pass(model, images, scope, n); // loads this scope's predictor(s) again
                double rate = pass(model, images, scope, n);
                System.out.printf("%-10s warm  %7.1f images/s (round %d)%n", scope, rate, r + 1);
            }
        }
        spark.stop();
    }

    private static double pass(String model, Dataset<Row> images, String scope, long n) {
        long t0 = System.nanoTime();
        new KodiakPredictor().setModelPath(model).setPredictorScope(scope).transform(images)
                .write().format("noop").mode("overwrite").save();
        return n / ((System.nanoTime() - t0) / 1e9);
    }
}
