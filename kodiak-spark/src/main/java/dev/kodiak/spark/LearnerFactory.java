package dev.kodiak.spark;

import dev.kodiak.learn.Learner;
import java.io.Serializable;

/**
 * Builds the learner one rank of a {@link DistributedTrainer} run trains: its data (the whole data set: the learner
 * takes the rank's share of every batch itself), its model and its callbacks. It runs inside a Spark task on an
 * executor, so it is shipped there: capture only serializable values (a folder as a {@code String}, not a
 * {@code java.nio.file.Path}), and read the data from a path every executor can reach.
 *
 * <p>Every rank must build the same learner (same data, batch size, model, metrics); the initial weights may differ
 * (rank 0's are broadcast before training). In one executor JVM the factories of its ranks run one at a time, so a
 * seed set inside ({@code Engine.seed}, a learner option) gives the weights it gives alone.
 */
@FunctionalInterface
public interface LearnerFactory extends Serializable {
    /**
     * The learner of rank {@code rank} (0 to the number of ranks − 1), before training; the trainer attaches it to
     * the process group, runs the recipe and closes its data loaders.
     */
    Learner create(int rank);
}
