package dev.kodiak.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.KodiakException;
import dev.kodiak.engine.distributed.DistributedGroup;
import dev.kodiak.engine.distributed.Rendezvous;
import dev.kodiak.learn.EpochResult;
import dev.kodiak.learn.Learner;
import dev.kodiak.learn.Recipe;
import dev.kodiak.learn.RecipeJson;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.spark.BarrierTaskContext;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * One barrier task of a {@link DistributedTrainer} run, one rank: the rank is the task's partition, rank 0's host is
 * the executor of partition 0 (from the barrier context), and the port is one rank 0 found free, told to all with
 * {@code allGather}. It joins the process group, builds the learner, trains with the recipe and — on rank 0 — writes
 * the model file and returns what it trained (the other ranks return nothing).
 */
final class RankTask extends AbstractFunction1<Iterator<Integer>, Iterator<TrainedModel>> implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    // the factories of the ranks sharing a JVM (local mode) run one at a time: libtorch's random generator is global
    private static final Object BUILDING = new Object();

    private final LearnerFactory factory;
    private final String recipeJson;
    private final String modelPath;
    private final Map<String, String> hadoop;
    private final Duration timeout;

    RankTask(LearnerFactory factory, Recipe recipe, String modelPath, Map<String, String> hadoop, Duration timeout) {
        this.factory = factory;
        try {
            this.recipeJson = JSON.writeValueAsString(recipe);
        } catch (IOException e) {
            throw new KodiakException("cannot write the recipe " + recipe.describe() + " for the executors: "
                    + e.getMessage(), e);
        }
        this.modelPath = modelPath;
        this.hadoop = Map.copyOf(hadoop);
        this.timeout = timeout;
    }

    @Override
    public Iterator<TrainedModel> apply(Iterator<Integer> partition) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int rank = ctx.partitionId();
        int worldSize = ctx.getTaskInfos().length;
        String host = host(ctx.getTaskInfos()[0].address());
        // every rank takes part in allGather, whatever happens next: a rank missing here would hang the others
        int port = Integer.parseInt(ctx.allGather(String.valueOf(rank == 0 ? freePort() : 0))[0]);
        PartitionPredictor.TaskThreads.use(ctx.cpus()); // libtorch threads: the CPUs Spark gave this task
        try {
            TrainedModel trained = train(rank, worldSize, host, port);
            return CollectionConverters.asScala(trained == null ? List.<TrainedModel>of().iterator()
                    : List.of(trained).iterator());
        } catch (RuntimeException | Error e) {
            throw new KodiakException("rank " + rank + " of " + worldSize + " (Spark task " + ctx.taskAttemptId()
                    + ", partition " + rank + ") failed: " + message(e), e);
        }
    }

    private TrainedModel train(int rank, int worldSize, String host, int port) {
        try (DistributedGroup group = worldSize > 1
                ? DistributedGroup.join(new Rendezvous(host, port, worldSize, rank, timeout)) : null) {
            Learner learn;
            synchronized (BUILDING) {
                learn = factory.create(rank);
            }
            if (learn == null) {
                throw new KodiakException("the LearnerFactory returned no learner");
            }
            try (var dls = learn.dls()) {
                learn.dataParallel(group);
                learn.run(RecipeJson.read(JSON.readTree(recipeJson)));
                return rank == 0 ? export(learn, worldSize) : null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rank 0: the model file, written straight to a local path or through a local temp file to another file system. */
    private TrainedModel export(Learner learn, int worldSize) throws IOException {
        Configuration conf = new Configuration(false);
        hadoop.forEach(conf::set);
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(modelPath);
        FileSystem fs = target.getFileSystem(conf);
        org.apache.hadoop.fs.Path qualified = fs.makeQualified(target);
        if (fs instanceof LocalFileSystem local) {
            learn.export(local.pathToFile(qualified).toPath());
        } else {
            Path temp = Files.createTempFile("kodiak-trained", ".kodiak");
            try {
                learn.export(temp);
                fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(temp.toUri()), qualified);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        EpochResult last = learn.recorder().lastEpoch();
        return new TrainedModel(qualified.toString(), worldSize, last.trainLoss(), last.validLoss(), last.metrics());
    }

    /** The host of a barrier task's address ({@code host:port}, IPv6 in brackets). */
    static String host(String address) {
        int colon = address.lastIndexOf(':');
        String host = colon > 0 && address.indexOf(':') == colon || address.startsWith("[")
                ? address.substring(0, colon) : address;
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new KodiakException("no free port on rank 0's executor for the rendezvous: " + e.getMessage(), e);
        }
    }

    private static String message(Throwable e) {
        return e instanceof KodiakException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
