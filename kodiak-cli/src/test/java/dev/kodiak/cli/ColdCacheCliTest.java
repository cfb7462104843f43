package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.engine.Engine;
import dev.kodiak.engine.ModuleState;
import dev.kodiak.io.SafeTensors;
import dev.kodiak.testing.JavaProcess;
import dev.kodiak.vision.learn.ModelExport;
import dev.kodiak.models.Architectures;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ENGINE.md's cold-cache crash, end to end: on a machine whose JavaCPP cache is empty (and where Debian's
 * python3-torch put another libtorch on the linker's path), the first {@code kodiak weights predict} died with
 * SIGSEGV in {@code pthread_mutex_lock} because building the network was the first touch of libtorch. Each verb runs
 * once in its own JVM against its own fresh, empty cache directory. Unpacking the natives (~450 MB) takes several
 * seconds per run, hence "slow"; each cache is deleted as soon as its run is over.
 */
@Tag("slow")
class ColdCacheCliTest {
    @TempDir
    static Path dir;
    static Path weights;
    static Path model;
    static Path image;

    @BeforeAll
    static void files() {
        // made in this JVM, whose cache is warm; only the children start cold
        Engine.seed(3);
        weights = dir.resolve("r18.safetensors");
        SafeTensors.write(weights, ModuleState.of(Architectures.RESNET18.newClassifier(1000)));
        model = dir.resolve("tiny.kodiak");
        ModelExport.writeUntrained(Architectures.RESNET18.newVisionModel(2), List.of("cats", "dogs"), 32, model);
        try {
            image = TestImages.png(dir.resolve("images/cat.png"), 48, Color.RED, 1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void weightsPredictStartsOnAnEmptyCache() throws IOException {
        String out = kodiakOnEmptyCache("weights", "predict", "--arch", "resnet18", "--weights", weights.toString(),
                "--top", "2", image.toString());
        assertThat(out).startsWith(image.toString()).contains("  1. ").contains("  2. ").doesNotContain("  3. ");
    }

    @Test
    void predictStartsOnAnEmptyCache() throws IOException {
        String out = kodiakOnEmptyCache("predict", model.toString(), image.toString());
        assertThat(out.strip()).matches(java.util.regex.Pattern.quote(image.toString()) + "  (cats|dogs)  [01]\\.\\d{3}");
    }

    @Test
    void infoStartsOnAnEmptyCache() throws IOException {
        String out = kodiakOnEmptyCache("info", model.toString());
        assertThat(out).contains("resnet18 + fastai head").contains("cats, dogs");
    }

    /** Runs the CLI in a child JVM with a new, empty JavaCPP cache; asserts it exited 0 without a crash report. */
    private static String kodiakOnEmptyCache(String... args) throws IOException {
        Path run = Files.createTempDirectory(dir, "run");
        Path cache = Files.createDirectories(run.resolve("javacpp-cache"));
        try {
            JavaProcess.Result r = JavaProcess.of(Main.class)
                    .jvmArgs("-Dorg.bytedeco.javacpp.cachedir=" + cache,
                            "-XX:ErrorFile=" + run.resolve("hs_err_pid%p.log"), "-XX:-CreateCoredumpOnCrash")
                    .args(args)
                    .timeout(Duration.ofMinutes(3))
                    .run();
            try (Stream<Path> files = Files.list(run)) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("hs_err")))
                        .as("JVM crash reports; " + r.describe()).isEmpty();
            }
            assertThat(r.exitCode()).as(r.describe()).isZero();
            try (Stream<Path> unpacked = Files.walk(cache)) {
                assertThat(unpacked.anyMatch(p -> p.getFileName().toString().startsWith("libtorch_cpu")))
                        .as("libtorch was unpacked into the fresh cache").isTrue();
            }
            return r.stdout();
        } finally {
            deleteTree(cache);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
