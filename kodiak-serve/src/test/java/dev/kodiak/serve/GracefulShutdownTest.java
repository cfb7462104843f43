package dev.kodiak.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to a serving JVM: the request in flight is still answered, then the process exits. */
class GracefulShutdownTest {
    @Test
    void sigtermFinishesTheRequestInFlight(@TempDir Path tmp) throws Exception {
        Path model = TestModel.shared();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-DKODIAK_OFFLINE=1", "-cp", System.getProperty("java.class.path"),
                SlowServerMain.class.getName(), model.toString()));
        Process child = new ProcessBuilder(cmd).redirectError(tmp.resolve("child.err").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("first line of the child").startsWith("port=");
            Http http = new Http(URI.create("http://127.0.0.1:" + line.substring(5) + "/"));
            byte[] image = TestModel.png(TestModel.square("red", new java.util.Random(3)));
            CompletableFuture<Http.Response> inFlight = CompletableFuture.supplyAsync(
                    () -> http.post("/api/predict", "image/png", image));
            assertThat(out.readLine()).as("the child's model got the request").isEqualTo("batch");
            assertThat(inFlight).isNotDone(); // the child holds it until it begins to shut down
            // SIGTERM (Process.destroy() would also close our end of the child's output, hiding its last line)
            child.toHandle().destroy();
            Http.Response r;
            try {
                r = inFlight.get(20, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                child.waitFor(20, TimeUnit.SECONDS);
                throw new AssertionError("the request in flight failed; the child said:\n"
                        + java.nio.file.Files.readString(tmp.resolve("child.err")), e);
            }
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            assertThat(r.json().get("label").asText()).isIn("blue", "red");
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(out.readLine()).isEqualTo("closed");
        } finally {
            child.destroyForcibly();
        }
    }
}
