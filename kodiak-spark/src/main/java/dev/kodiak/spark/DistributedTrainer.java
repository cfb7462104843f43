package dev.kodiak.spark;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.distributed.Rendezvous;
import dev.kodiak.learn.Recipe;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.SparkSession;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Data-parallel training on a Spark cluster (issue #18), as PySpark's {@code TorchDistributor}: one Spark job in
 * barrier execution mode whose {@code processes} tasks start together, each one rank of a Kodiak process group
 * (libtorch's Gloo). Every rank builds its learner with the same {@link LearnerFactory}, trains its share of every
 * global batch with the gradients averaged over all ranks ({@code Learner.dataParallel}: the same training as
 * {@code kodiak train --processes N}), and rank 0 writes the model file.
 * <pre>{@code
 * TrainedModel m = DistributedTrainer.on(spark, 4).train(rank -> {
 *         DataLoaders<RgbImage> dls = ImageDataLoaders.fromFolder(Path.of("/shared/bears"), 0.2, 42, Resize.to(224));
 *         return VisionLearner.create(dls, Architectures.RESNET34, Metrics.errorRate());
 *     }, Recipe.fineTune(4), "hdfs:///models/bears.kodiak");
 * }</pre>
 * The rendezvous comes from the barrier context (rank 0's executor host, a port rank 0 found free) and each rank uses
 * as many libtorch threads as CPUs Spark gives its task ({@code spark.task.cpus}). Give the job {@code processes}
 * free task slots at once (barrier mode waits for all of them; dynamic allocation must be off), ideally one executor
 * per rank. A rank that fails fails the job with a {@link KodiakException} naming the rank; the others stop within the
 * timeout.
 */
public final class DistributedTrainer {
    private final SparkSession spark;
    private final int processes;
    private final Duration timeout;

    private DistributedTrainer(SparkSession spark, int processes, Duration timeout) {
        if (spark == null) {
            throw new KodiakException("DistributedTrainer needs a SparkSession");
        }
        if (processes < 1) {
            throw new KodiakException("DistributedTrainer needs at least 1 process (barrier task), got " + processes);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new KodiakException("the distributed timeout must be positive, got " + timeout);
        }
        this.spark = spark;
        this.processes = processes;
        this.timeout = timeout;
    }

    /**
     * A trainer running {@code processes} ranks on {@code spark}'s cluster, each waiting at most
     * {@link Rendezvous#DEFAULT_TIMEOUT} for the others.
     */
    public static DistributedTrainer on(SparkSession spark, int processes) {
        return new DistributedTrainer(spark, processes, Rendezvous.DEFAULT_TIMEOUT);
    }

    /** The same trainer with another timeout: how long a rank waits for the others before the job fails. */
    public DistributedTrainer timeout(Duration newTimeout) {
        return new DistributedTrainer(spark, processes, newTimeout);
    }

    /**
     * Trains {@code recipe} on {@code processes} ranks and returns once rank 0 has written the model to
     * {@code modelPath} (any Hadoop file system the driver's Hadoop configuration reaches: a local path, which on a
     * cluster is the disk of rank 0's executor, {@code hdfs://}, {@code s3a://}).
     *
     * @throws KodiakException naming the rank that failed, or saying why the job could not run
     */
    public TrainedModel train(LearnerFactory factory, Recipe recipe, String modelPath) {
        if (factory == null || recipe == null) {
            throw new KodiakException("DistributedTrainer.train needs a LearnerFactory and a Recipe");
        }
        if (modelPath == null || modelPath.isBlank()) {
            throw new KodiakException("DistributedTrainer.train needs the path of the model file to write");
        }
        Map<String, String> hadoop = new HashMap<>();
        spark.sparkContext().hadoopConfiguration().forEach(e -> hadoop.put(e.getKey(), e.getValue()));
        RankTask task = new RankTask(factory, recipe, modelPath, hadoop, timeout);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Integer> ranks = jsc.parallelize(IntStream.range(0, processes).boxed().toList(), processes);
        ClassTag<TrainedModel> tag = ClassTag$.MODULE$.apply(TrainedModel.class);
        String group = "kodiak-training-" + java.util.UUID.randomUUID();
        jsc.setJobGroup(group, "Kodiak data-parallel training: " + processes + " ranks, " + recipe.describe(), false);
        RankFailures failures = new RankFailures(group, processes);
        spark.sparkContext().addSparkListener(failures);
        List<TrainedModel> out;
        try {
            RDD<TrainedModel> trained = ranks.rdd().barrier().mapPartitions(task, false, tag);
            out = new JavaRDD<>(trained, tag).collect();
        } catch (Exception e) { // Spark's SparkException is checked in Java's eyes, and thrown undeclared
            throw failure(e, failures.first(5));
        } finally {
            jsc.clearJobGroup();
            spark.sparkContext().removeSparkListener(failures);
        }
        if (out.size() != 1) {
            throw new KodiakException("distributed training ended without rank 0's model (" + out.size() + " results)");
        }
        return out.get(0);
    }

    /**
     * The failure of the rank that failed first (Spark reports the stage by the last one, typically a rank that only
     * lost its peer), else Spark's own first line (e.g. not enough free task slots for a barrier stage).
     */
    static KodiakException failure(Exception e, Optional<String> firstFailure) {
        Matcher rank = RANK_FAILED.matcher(firstFailure.orElse(""));
        if (rank.find()) {
            return new KodiakException("distributed training failed: " + rank.group(), e);
        }
        String text = String.valueOf(e.getMessage());
        rank = RANK_FAILED.matcher(text);
        return new KodiakException("distributed training failed: "
                + (rank.find() ? rank.group() : text.lines().findFirst().orElse(text)), e);
    }

    // RankTask's message: "rank R of N (Spark task T, partition R) failed: why", up to the end of its line
    private static final Pattern RANK_FAILED = Pattern.compile("rank \\d+ of \\d+ \\(Spark task .*");
}
