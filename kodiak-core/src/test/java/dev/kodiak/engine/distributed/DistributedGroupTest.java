package dev.kodiak.engine.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import dev.kodiak.testing.JavaProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ranks in two JVMs on 127.0.0.1 (each a {@link GroupWorker}): results of the collectives, and what the survivor
 * sees when its peer dies or hangs. Child JVMs, because a native crash in-process would kill the test runner.
 */
class DistributedGroupTest {
    @TempDir
    Path dir;

    @Test
    @Tag("slow")
    void allReduceAveragesExactlyAndBroadcastMakesWeightsIdentical() {
        List<JavaProcess.Result> ranks = runPair("reduce", 20_000);
        for (JavaProcess.Result r : ranks) {
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(r.value("error")).as(r.describe()).isNull();
            assertThat(r.value("exact" + GroupWorker.SMALL_BUCKET)).as(r.describe()).isEqualTo("true");
            assertThat(r.value("exact" + DistributedGroup.DEFAULT_BUCKET_BYTES)).as(r.describe()).isEqualTo("true");
            assertThat(r.value("sum")).as(r.describe()).isEqualTo("[3.0, 30.0]");
            assertThat(r.value("after")).as(r.describe()).isEqualTo(r.value("root"));
        }
        // the control: before the broadcast the ranks' weights differed
        assertThat(ranks.get(1).value("before")).isNotEqualTo(ranks.get(0).value("before"));
    }

    @Test
    void glooReasonsLoseTheBuildMachinesSourcePath() {
        RuntimeException gloo = new RuntimeException("[/home/runner/work/pytorch/third_party/gloo/gloo/transport/tcp/"
                + "pair.cc:547] Connection closed by peer [127.0.0.1]:29410");
        assertThat(DistributedGroup.reason(gloo)).isEqualTo("Connection closed by peer [127.0.0.1]:29410");
    }

    @Test
    @Tag("slow")
    void aRankThatDiesMakesTheOtherFailNamingIt() {
        List<JavaProcess.Result> ranks = runPair("die", 5_000);
        JavaProcess.Result survivor = ranks.get(0);
        assertThat(ranks.get(1).exitCode()).as(ranks.get(1).describe()).isEqualTo(3);
        assertThat(survivor.exitCode()).as(survivor.describe()).isZero();
        assertThat(survivor.value("exited")).as(survivor.describe()).isEqualTo("clean");
        assertThat(survivor.value("second")).as(survivor.describe()).isNull();
        assertThat(survivor.value("error")).as(survivor.describe())
                .contains("all-reduce #2 failed on rank 0 of 2").contains("rank 1 did not reach it")
                .contains("resume from the last checkpoint");
    }

    @Test
    @Tag("slow")
    void aRankThatHangsMakesTheOtherFailAfterTheTimeoutNamingIt() {
        List<JavaProcess.Result> ranks = runPair("hang", 2_000);
        JavaProcess.Result survivor = ranks.get(0);
        assertThat(survivor.exitCode()).as(survivor.describe()).isZero();
        assertThat(survivor.value("error")).as(survivor.describe())
                .contains("all-reduce #2 failed on rank 0 of 2").contains("rank 1 did not reach it (died, or stuck longer than the 2.0 s timeout)");
        assertThat(ranks.get(1).exitCode()).as(ranks.get(1).describe()).isZero();
    }

    @Test
    @Tag("slow")
    void theReducerAveragesGradientsDuringBackwardExactly() {
        List<JavaProcess.Result> ranks = runPair("reducer", 20_000);
        for (JavaProcess.Result r : ranks) {
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(r.value("error")).as(r.describe()).isNull();
            assertThat(r.value("reducerParams")).as(r.describe()).isEqualTo("4");
            assertThat(r.value("reducerExact")).as(r.describe()).isEqualTo("true");
        }
        assertThat(ranks.get(1).value("weights")).isEqualTo(ranks.get(0).value("weights"));
    }

    @Test
    @Tag("slow")
    void aRankThatDiesDuringTheReducersBackwardIsNamed() {
        List<JavaProcess.Result> ranks = runPair("reducer-die", 5_000);
        JavaProcess.Result survivor = ranks.get(0);
        assertThat(survivor.exitCode()).as(survivor.describe()).isZero();
        assertThat(survivor.value("exited")).as(survivor.describe()).isEqualTo("clean");
        assertThat(survivor.value("error")).as(survivor.describe())
                .contains("backward with gradient all-reduce").contains("failed on rank 0 of 2").contains("rank 1");
    }

    @Test
    void aMissingRankIsNamedAtTheRendezvous() {
        Rendezvous alone = new Rendezvous("127.0.0.1", freePort(), 2, 0, Duration.ofMillis(1_500));
        assertThatThrownBy(() -> DistributedGroup.join(alone))
                .isInstanceOf(KodiakException.class)
                .hasMessageContaining("rank 1 did not join the rendezvous at 127.0.0.1:" + alone.port());
    }

    @Test
    void aWorldOfOneIsTheIdentity() {
        try (DistributedGroup group = DistributedGroup.join(
                new Rendezvous("127.0.0.1", freePort(), 1, 0, Duration.ofSeconds(10)))) {
            var grads = GroupWorker.values(0);
            group.allReduceMean(grads, GroupWorker.SMALL_BUCKET);
            var expected = GroupWorker.values(0);
            for (int i = 0; i < grads.size(); i++) {
                assertThat(grads.get(i).toFloatArray()).containsExactly(expected.get(i).toFloatArray());
                assertThat(grads.get(i).shape()).containsExactly(GroupWorker.SHAPES[i]);
            }
        }
    }

    private List<JavaProcess.Result> runPair(String mode, long timeoutMs) {
        String port = String.valueOf(freePort());
        List<CompletableFuture<JavaProcess.Result>> ranks = List.of(0, 1).stream()
                .map(rank -> CompletableFuture.supplyAsync(() -> JavaProcess.of(GroupWorker.class)
                        .jvmArgs("-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"), "-XX:-CreateCoredumpOnCrash")
                        .env("KODIAK_THREADS", "1")
                        .args(mode, String.valueOf(rank), "2", port, String.valueOf(timeoutMs))
                        .timeout(Duration.ofMinutes(1))
                        .run()))
                .toList();
        return ranks.stream().map(CompletableFuture::join).toList();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
