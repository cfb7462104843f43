package dev.kodiak.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Listens to one job group's barrier tasks and remembers the failed ones, so the driver can name the rank that failed
 * first. Spark reports a barrier stage by the task that failed it last — usually a rank that only lost its peer
 * ("rank 1 did not reach it") — while the first failure says why (the peer's own error).
 */
final class RankFailures extends SparkListener {
    // how DistributedGroup's messages end when a collective failed because another rank failed: the rank whose own
    // failure broke the group reaches the driver at about the same time, and its message is the one that says why
    private static final String PEER_LOST = "resume from the last checkpoint";

    private final String group;
    private final List<Integer> stages = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final CountDownLatch tasksEnded;
    private int job = -1;

    private record Failure(long finished, String description) {
    }

    RankFailures(String group, int tasks) {
        this.group = group;
        this.tasksEnded = new CountDownLatch(tasks);
    }

    @Override
    public synchronized void onJobStart(SparkListenerJobStart start) {
        if (start.properties() != null && group.equals(start.properties().getProperty("spark.jobGroup.id"))) {
            job = start.jobId();
            scala.jdk.javaapi.CollectionConverters.asJava(start.stageIds()).forEach(s -> stages.add((Integer) s));
        }
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
        if (!stages.contains(end.stageId())) {
            return;
        }
        if (end.reason() instanceof ExceptionFailure failure) {
            failures.add(new Failure(end.taskInfo().finishTime(), failure.description()));
        }
        tasksEnded.countDown();
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd end) {
        synchronized (this) {
            if (end.jobId() != job) {
                return;
            }
        }
        ended.countDown();
    }

    /**
     * The message of the first task that failed of its own (not by losing a peer), once the job's end has come through
     * Spark's listener bus and every task has ended — or a few seconds later: a barrier stage is aborted at its first
     * failed task, and the others' ends (a rank blocked in a collective until its timeout) may come much later.
     */
    Optional<String> first(long seconds) {
        try {
            ended.await(seconds, TimeUnit.SECONDS);
            tasksEnded.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            return failures.stream().min(Comparator.comparing((Failure f) -> f.description().contains(PEER_LOST))
                    .thenComparingLong(Failure::finished)).map(Failure::description);
        }
    }
}
