package dev.kodiak.spark;

import dev.kodiak.KodiakException;
import dev.kodiak.vision.predict.Predictor;
import dev.kodiak.vision.predict.PredictorOptions;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * A checked model on its way to the executors: its path, digest and task, and on a cluster its bytes as a broadcast
 * variable (sent once per executor, whether or not the executors can read the path). A local run shares the driver's
 * JVM, whose cache already holds the predictor, so nothing is broadcast there.
 */
final class ModelShipment implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String sha256;
    private final String task;
    private final Broadcast<byte[]> bytes;

    private ModelShipment(String path, String sha256, String task, Broadcast<byte[]> bytes) {
        this.path = path;
        this.sha256 = sha256;
        this.task = task;
        this.bytes = bytes;
    }

    /**
     * On the driver: reads {@code path}, checks the model fully by loading it (a missing, damaged or tampered file is
     * a {@link KodiakException} here, before any task) and, on a cluster, broadcasts its bytes if {@code ship}.
     */
    static ModelShipment prepare(SparkSession spark, String path, PredictorOptions options, boolean ship) {
        ModelSource.Local local = ModelSource.resolve(path, spark.sparkContext().hadoopConfiguration());
        Predictor checked = PredictorCache.get(local.sha256(), path, local::file, options);
        Broadcast<byte[]> bytes = null;
        if (ship && !spark.sparkContext().isLocal()) {
            try {
                bytes = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(Files.readAllBytes(local.file()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ModelShipment(path, local.sha256(), checked.task(), bytes);
    }

    String task() {
        return task;
    }

    String path() {
        return path;
    }

    /**
     * On an executor: this JVM's predictor of the model (or this thread's, if {@code perThread}), loaded the first time
     * from the broadcast bytes or path.
     */
    Predictor predictor(PredictorOptions options, boolean perThread) {
        return perThread ? PredictorCache.forThread(sha256, path, this::localFile, options)
                : PredictorCache.get(sha256, path, this::localFile, options);
    }

    private Path localFile() {
        Path cached = ModelSource.cached(sha256);
        if (cached != null) {
            return cached;
        }
        ModelSource.Local local = bytes != null ? ModelSource.store(bytes.value())
                : ModelSource.resolve(path, new Configuration());
        if (!local.sha256().equals(sha256)) {
            throw new KodiakException("model file " + path + " changed while the job ran (SHA-256 " + sha256
                    + " when it started, " + local.sha256() + " now): run the job again");
        }
        return local.file();
    }
}
